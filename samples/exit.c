/* Exits through a raw exit syscall, without libc's exit path. */
int main() {
    __asm__ volatile(
        "mov $60, %eax\n"
        "xor %edi, %edi\n"
        "syscall\n");
    return 0;
}
