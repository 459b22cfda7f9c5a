/* A static local of an inlined function: only the abstract origin holds it (with its
   address), and every inlined copy shares it. */
#include <stdio.h>

static inline __attribute__((always_inline)) int counted(int step)
{
    static int calls = 40;
    static const char *label = "counted";
    int next = calls + step;
    calls = next;
    return next + (label[0] == 'c');
}

int main(int argc, char **argv)
{
    (void)argv;
    int total = counted(argc);
    total += counted(2);
    printf("%d\n", total);
    return 0;
}
