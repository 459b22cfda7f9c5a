/* The lecture's "mixing threads and processes": a thread holds a lock when main forks.
 * Only the forking thread exists in the child, so the lock stays held there for ever and
 * the child, taking it, deadlocks. The parent gives up on it after a second. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg)
{
    pthread_mutex_lock(&lock);
    sleep(2);
    pthread_mutex_unlock(&lock);
    return arg;
}

int main(void)
{
    pthread_t thread;
    pthread_create(&thread, NULL, worker, NULL);
    usleep(100000);
    pid_t pid = fork();
    if (pid == 0) {
        pthread_mutex_lock(&lock);
        printf("child got the lock\n");
        _exit(0);
    }
    sleep(1);
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    printf("child stuck: killed it\n");
    pthread_join(thread, NULL);
    return 0;
}
