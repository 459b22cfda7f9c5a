/* A system call made by the program's own instruction, at a label a test can find with
 * nm: stepping over a `syscall` reports a different trap (TRAP_BRKPT) than other steps. */
#include <stdio.h>

long ask_pid(void)
{
    long pid;
    __asm__ volatile("mov $39, %%eax\n"
                     ".globl syscall_here\n"
                     "syscall_here:\n"
                     "syscall\n"
                     "mov %%rax, %0\n"
                     : "=r"(pid)
                     :
                     : "rax", "rcx", "r11", "memory");
    return pid;
}

int main(void)
{
    printf("pid %ld\n", ask_pid() > 0 ? 1L : 0L);
    return 0;
}
