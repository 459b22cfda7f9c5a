/* A double passed as a constant: the call site says what went into %xmm0 with
   DW_OP_const_type, gdb's factor@entry. */
#include <stdio.h>

__attribute__((noinline)) double scale(double factor, int n) {
    double total = 0;
    for (int i = 0; i < n; i++)
        total += factor * i;
    return total;
}

int main(int argc, char **argv) {
    (void)argv;
    printf("%f\n", scale(2.5, argc + 3));
    return 0;
}
