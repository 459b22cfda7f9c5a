/* A child queues real-time signals at its parent while the parent calls tick() in a
 * loop until it has handled them all. Real-time signals queue: each one sent is one
 * handled, so a lost or doubled signal shows in the count the parent prints. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t received;
static long ticks;

void on_signal(int signum)
{
    received++;
}

void tick(void)
{
    ticks++;
}

int main(int argc, char *argv[])
{
    int count = argc > 1 ? atoi(argv[1]) : 100;
    struct sigaction action = {0};
    action.sa_handler = on_signal;
    sigaction(SIGRTMIN, &action, NULL);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        union sigval value = {0};
        for (int i = 0; i < count; i++) {
            sigqueue(parent, SIGRTMIN, value);
            usleep(200);
        }
        _exit(0);
    }
    while (received < count) {
        tick();
    }
    waitpid(pid, NULL, 0);
    usleep(100000);
    printf("received %d of %d after %ld ticks\n", (int)received, count, ticks);
    return 0;
}
