/* The lecture's "failing to properly error handle exec": the child's exec fails and
 * nothing stops it there, so it goes on running the code meant for its parent. */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        execlp("no-such-program", "no-such-program", (char *)NULL);
    }
    waitpid(pid, NULL, 0);
    printf("process %d: child finished\n", (int)getpid());
    return 0;
}
