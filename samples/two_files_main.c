#include <stdio.h>

int shout(int x);

static int helper(int x) {
    return x + 1;
}

int main() {
    int a = helper(1);
    int b = shout(a);
    printf("%d %d\n", a, b);
    return 0;
}
