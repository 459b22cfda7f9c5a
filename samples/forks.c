/* Forks children in a loop, as the lecture's examples do; each child reports and exits
 * with its own number, and the parent reaps every one and prints its status. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int child_work(int n)
{
    printf("child %d running\n", n);
    fflush(stdout);
    return n;
}

int main(int argc, char *argv[])
{
    int count = argc > 1 ? atoi(argv[1]) : 3;
    for (int i = 0; i < count; i++) {
        pid_t pid = fork();
        if (pid == 0) {
            exit(child_work(i));
        }
        int status;
        waitpid(pid, &status, 0);
        printf("parent reaped child %d: status %d\n", i, WEXITSTATUS(status));
        fflush(stdout);
    }
    printf("parent done\n");
    return 0;
}
