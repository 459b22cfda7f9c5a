#include <stdio.h>

static int helper(int x) {
    return x * 10;
}

int shout(int x) {
    int y = helper(x);
    printf("shout(%d) -> %d\n", x, y);
    return y;
}
