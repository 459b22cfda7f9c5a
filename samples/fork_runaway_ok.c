/* The runaway child fixed: the worker exits when its work is done, so only the parent
 * returns from spawn(). */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static void spawn(int id)
{
    if (fork() == 0) {
        printf("worker %d works\n", id);
        exit(0);
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
