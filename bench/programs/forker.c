/* Forks COUNT short children one after another, each doing a little work and exiting, the
 * parent waiting for each: the cost of deet's process tree per child. */
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static int work(int n)
{
    volatile int sum = 0;
    for (int i = 0; i < 1000; i++) {
        sum += i * n;
    }
    return sum & 1;
}

int main(int argc, char *argv[])
{
    int count = argc > 1 ? atoi(argv[1]) : 1000;
    for (int i = 0; i < count; i++) {
        pid_t pid = fork();
        if (pid == 0) {
            _exit(work(i));
        }
        waitpid(pid, NULL, 0);
    }
    return 0;
}
