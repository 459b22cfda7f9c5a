/* bench: the floor for breakpoint hits per second on this machine. A minimal ptrace
 * tracer in C: one int3 at ADDRESS in PROGRAM, and for every hit what any debugger must
 * do (back the pc up, lift the int3, single-step, put it back, continue). Pinned with
 * its tracee to one CPU, as deet is by default. Usage: tracer ADDRESS PROGRAM ARGS... */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/personality.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: tracer ADDRESS PROGRAM ARGS...\n");
        return 2;
    }
    unsigned long address = strtoul(argv[1], NULL, 16);
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(sched_getcpu(), &one);
    sched_setaffinity(0, sizeof one, &one);
    pid_t child = fork();
    if (child == 0) {
        personality(ADDR_NO_RANDOMIZE);
        ptrace(PTRACE_TRACEME, 0, NULL, NULL);
        execv(argv[2], argv + 2);
        _exit(127);
    }
    int status;
    waitpid(child, &status, 0);
    ptrace(PTRACE_SETOPTIONS, child, NULL, (void *)PTRACE_O_EXITKILL);
    errno = 0;
    long word = ptrace(PTRACE_PEEKTEXT, child, (void *)address, NULL);
    if (errno != 0) {
        perror("tracer: PEEKTEXT");
        return 1;
    }
    long trap = (word & ~0xffL) | 0xcc;
    ptrace(PTRACE_POKETEXT, child, (void *)address, (void *)trap);
    long hits = 0;
    for (;;) {
        ptrace(PTRACE_CONT, child, NULL, NULL);
        waitpid(child, &status, 0);
        if (WIFEXITED(status) || WIFSIGNALED(status))
            break;
        if (WSTOPSIG(status) != SIGTRAP)
            continue;
        struct user_regs_struct regs;
        ptrace(PTRACE_GETREGS, child, NULL, &regs);
        regs.rip -= 1;
        ptrace(PTRACE_SETREGS, child, NULL, &regs);
        ptrace(PTRACE_POKETEXT, child, (void *)address, (void *)word);
        ptrace(PTRACE_SINGLESTEP, child, NULL, NULL);
        waitpid(child, &status, 0);
        ptrace(PTRACE_POKETEXT, child, (void *)address, (void *)trap);
        hits++;
    }
    printf("%ld hits\n", hits);
    return 0;
}
