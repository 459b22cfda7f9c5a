/* vfork()s a child that execs /bin/true while the parent is suspended, then the parent
 * goes on and calls a function: the child borrows the parent's memory, breakpoints and
 * all, until its exec. */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int after_child(int status)
{
    printf("child status %d\n", status);
    return status;
}

int main(void)
{
    for (int i = 0; i < 3; i++) {
        pid_t pid = vfork();
        if (pid == 0) {
            execl("/bin/true", "true", (char *)NULL);
            _exit(127);
        }
        int status;
        waitpid(pid, &status, 0);
        after_child(WEXITSTATUS(status));
    }
    return 0;
}
