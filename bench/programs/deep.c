/* bench: recursion DEPTH calls deep, for a long backtrace. */
#include <stdlib.h>

int bottom(int depth)
{
    return depth;
}

int descend(int depth, int limit)
{
    if (depth >= limit)
        return bottom(depth);
    return descend(depth + 1, limit) + 1;
}

int main(int argc, char **argv)
{
    int limit = argc > 1 ? atoi(argv[1]) : 1000;
    return descend(1, limit) & 1;
}
