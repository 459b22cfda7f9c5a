/* A runaway child: spawn() forks a worker that does its work and then, like its parent,
 * returns into main, running code meant only for the parent (it should have exited). */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static void spawn(int id)
{
    if (fork() == 0) {
        printf("worker %d works\n", id);
        /* missing: exit(0); */
    }
}

int main(void)
{
    spawn(1);
    printf("process %d waits for its workers\n", (int)getpid());
    while (wait(NULL) > 0) {
    }
    return 0;
}
