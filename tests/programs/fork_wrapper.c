/* Not a runaway child: a fork wrapper hands the pid back, so its caller knows it runs in
 * the child, which does its work and exits there. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static pid_t checked_fork(void)
{
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        exit(1);
    }
    return pid;
}

static void run_worker(void)
{
    if (checked_fork() == 0) {
        puts("worker works");
        exit(0);
    }
}

int main(void)
{
    run_worker();
    while (wait(NULL) > 0) {
    }
    return 0;
}
