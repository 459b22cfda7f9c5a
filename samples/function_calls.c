#include <stdio.h>

int global = 5;

int add(int a, int b) {
    int sum = a + b;
    printf("add(%d, %d) = %d\n", a, b, sum);
    return sum;
}

void print_global(void) {
    printf("global = %d\n", global);
}

int compute(int x) {
    print_global();
    int result = add(x, global);
    printf("compute(%d) = %d\n", x, result);
    return result;
}

int main() {
    int value = compute(10);
    printf("main got %d\n", value);
    return 0;
}
