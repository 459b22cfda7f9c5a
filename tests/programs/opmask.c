/* Puts known values in AVX-512's mask registers k0-k7, then calls a function that does
 * nothing, where the test stops: no libc code (whose string functions use the mask
 * registers) runs in between. On a CPU without AVX-512 it says so and sets nothing. */
#include <stdio.h>

static void __attribute__((noinline)) marker(void) {}

static void set_masks(void) {
    __asm__ volatile(
        "movl $0x1111, %%eax\n\tkmovw %%eax, %%k0\n\t"
        "movl $0x2222, %%eax\n\tkmovw %%eax, %%k1\n\t"
        "movl $0x3333, %%eax\n\tkmovw %%eax, %%k2\n\t"
        "movl $0x4444, %%eax\n\tkmovw %%eax, %%k3\n\t"
        "movl $0x5555, %%eax\n\tkmovw %%eax, %%k4\n\t"
        "movl $0x6666, %%eax\n\tkmovw %%eax, %%k5\n\t"
        "movl $0x7777, %%eax\n\tkmovw %%eax, %%k6\n\t"
        "movl $0xbeef, %%eax\n\tkmovw %%eax, %%k7\n\t"
        ::: "eax");
}

int main(void) {
    if (!__builtin_cpu_supports("avx512f")) {
        puts("no AVX-512 here");
        return 0;
    }
    set_masks();
    marker();
    puts("masks set");
    return 0;
}
