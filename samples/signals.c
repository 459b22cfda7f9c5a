/* Installs handlers and signals itself: SIGUSR1 a few times (handled), then SIGALRM from
 * a timer while it waits; prints how many of each it handled. */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

static volatile sig_atomic_t usr1_count;
static volatile sig_atomic_t alarm_count;

void on_usr1(int signum)
{
    usr1_count++;
}

void on_alarm(int signum)
{
    alarm_count++;
}

int main(void)
{
    struct sigaction action = {0};
    action.sa_handler = on_usr1;
    sigaction(SIGUSR1, &action, NULL);
    action.sa_handler = on_alarm;
    sigaction(SIGALRM, &action, NULL);
    for (int i = 0; i < 3; i++) {
        raise(SIGUSR1);
    }
    alarm(1);
    while (alarm_count == 0) {
        pause();
    }
    printf("usr1 %d alarm %d\n", (int)usr1_count, (int)alarm_count);
    return 0;
}
