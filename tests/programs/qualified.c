/* Qualifiers on typedefs and pointers: gdb writes a typedef's qualifier before its name
   even when the typedef names a pointer (volatile handler), and a pointer's after the
   star (int * const volatile). */
typedef int (*handler)(int);
typedef int *int_ptr;

static int twice(int x) { return 2 * x; }

int value = 4;
volatile handler on_event = twice;
const handler fixed = twice;
const volatile int_ptr pinned = &value;
int *const volatile raw = &value;
const int *const both = &value;

int main(void) {
    return on_event(value) + fixed(*pinned) + *raw + *both;
}

const int_ptr pair[2] = {&value, &value};
volatile handler *handlers = &on_event;
const int_ptr *const pinned_at = &pinned;
