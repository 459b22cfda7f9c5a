/* A child that outlives its program: the parent forks a worker that never stops (and
 * the worker a daemon of its own, in a new session), and returns from main. */
#include <stdio.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    if (fork() == 0) {
        if (fork() == 0) {
            setsid();
            if (fork() == 0) {
                for (;;) {
                }
            }
            _exit(0);
        }
        for (;;) {
            pause();
        }
    }
    printf("parent %d exits\n", (int)getpid());
    fflush(stdout);
    if (argc > 1) {
        for (;;) {
            pause();
        }
    }
    return 0;
}
