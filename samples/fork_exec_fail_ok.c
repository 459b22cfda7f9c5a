/* The correct version of fork_exec_fail.c: when exec fails, the child says so and
 * _exits, so only the parent runs the parent's code. */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        execlp("no-such-program", "no-such-program", (char *)NULL);
        perror("no-such-program");
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    printf("child exited with %d\n", WEXITSTATUS(status));
    return 0;
}
