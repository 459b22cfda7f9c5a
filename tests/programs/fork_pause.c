/* A parent that outlives the child deet follows: the child prints and exits, the parent
 * waits for it and then waits forever for a signal. */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        printf("child %d exits\n", (int)getpid());
        return 0;
    }
    waitpid(pid, NULL, 0);
    printf("parent %d pauses\n", (int)getpid());
    fflush(stdout);
    for (;;) {
        pause();
    }
}
