/* A child that outlives its program: the parent forks a worker that never stops (and
 * the worker a daemon of its own, in a new session), and returns from main. The parent
 * waits on a pipe until the worker has its daemon, so two processes are left every run. */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    int ready[2];
    pipe(ready);
    if (fork() == 0) {
        pid_t middle = fork();
        if (middle == 0) {
            setsid();
            if (fork() == 0) {
                for (;;) {
                }
            }
            _exit(0);
        }
        waitpid(middle, NULL, 0);
        write(ready[1], "", 1);
        for (;;) {
            pause();
        }
    }
    char byte;
    read(ready[0], &byte, 1);
    printf("parent %d exits\n", (int)getpid());
    fflush(stdout);
    if (argc > 1) {
        for (;;) {
            pause();
        }
    }
    return 0;
}
