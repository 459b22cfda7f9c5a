/* A program whose signal handler calls a function: for backtraces through the kernel's
 * signal trampoline. */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

static volatile int handled;

void note(int signum)
{
    handled = signum;
    printf("handled %d\n", signum);
}

void on_signal(int signum)
{
    note(signum);
}

int compute(int x)
{
    kill(getpid(), SIGUSR1);
    return x * 2;
}

int main(void)
{
    struct sigaction action = {0};
    action.sa_handler = on_signal;
    sigaction(SIGUSR1, &action, NULL);
    int result = compute(21);
    printf("result %d handled %d\n", result, handled);
    return 0;
}
