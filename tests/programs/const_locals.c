/* Locals the compiler turned into constants at -O2: p's DW_AT_const_value is a block of
   bytes (gdb's info locals leaves it out, print shows it), wide's an integer (listed). */
#include <stdio.h>
struct pair { int a, b; };

__attribute__((noinline)) int pick(int n)
{
    const struct pair p = {3, 4};
    const char word[4] = "abc";
    const long wide = 1L << 40;
    return n ? p.a + word[1] + (int)(wide >> 40) : p.b + word[2];
}

int main(int argc, char **argv)
{
    (void)argv;
    printf("%d\n", pick(argc));
    return 0;
}
