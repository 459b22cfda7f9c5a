/* The correct version of the lecture's fork examples: each child runs another program at
 * once (and _exits if that fails), and the parent waits for every child. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
    int count = argc > 1 ? atoi(argv[1]) : 3;
    for (int i = 0; i < count; i++) {
        pid_t pid = fork();
        if (pid == 0) {
            execl("/bin/true", "true", (char *)NULL);
            _exit(127);
        }
    }
    int status;
    while (wait(&status) > 0) {
    }
    printf("all %d children reaped\n", count);
    return 0;
}
