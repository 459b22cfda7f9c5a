/* Never ends: for testing timeouts and Ctrl-C. */
int main() {
    volatile unsigned long n = 0;
    for (;;) {
        n++;
    }
}
