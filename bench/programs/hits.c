/* bench: a function called HITS times, for breakpoint hits per second. */
#include <stdlib.h>

volatile int total;

void tick(int i)
{
    total += i;
}

int main(int argc, char **argv)
{
    int hits = argc > 1 ? atoi(argv[1]) : 10000;
    for (int i = 0; i < hits; i++)
        tick(i);
    return 0;
}
