/* Sleeps 0.3 s three times, stopping itself after each nap: longer than 0.5 s in all,
   never that long between stops. */
#include <signal.h>
#include <unistd.h>

int main() {
    for (int i = 0; i < 3; i++) {
        usleep(300000);
        raise(SIGTRAP);
    }
    return 0;
}
