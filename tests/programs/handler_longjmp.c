/* A breakpoint on the very instruction that faults, and a SIGSEGV handler that
   siglongjmps away: each round calls poke() again at the same depth. */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>

static sigjmp_buf env;
static volatile int *target;

static void on_segv(int sig) {
    (void)sig;
    siglongjmp(env, 1);
}

static void poke(void) {
    *target = 1;
}

int main(void) {
    signal(SIGSEGV, on_segv);
    for (int round = 0; round < 3; round++) {
        if (sigsetjmp(env, 1) == 0)
            poke();
        else
            printf("round %d: recovered\n", round);
    }
    return 0;
}
