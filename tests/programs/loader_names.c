/* A function named as one of the dynamic loader's (glibc's ld.so has a check_match of its
   own, which its symbol lookups call at start-up): gdb's `break check_match` takes both. */
#include <stdio.h>

static int check_match(int wanted, int got)
{
    return wanted == got;
}

int main(int argc, char **argv)
{
    (void)argv;
    printf("%d\n", check_match(1, argc));
    return 0;
}
