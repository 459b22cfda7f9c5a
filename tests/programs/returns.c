/* Functions returning every kind of value, for finish against gdb (the x86-64 ABI's
   registers: rax/rdx, xmm0/xmm1, st0, and memory for large structs). */
#include <stdbool.h>
struct two { int a, b; };
struct mixed { double d; int i; };
struct floats { float x, y, z; };
struct big { long v[5]; };
enum mood { SAD = -1, OK = 1 };
char r_char(void) { return 'q'; }
bool r_bool(void) { return true; }
unsigned char r_uchar(void) { return 200; }
short r_short(void) { return -12345; }
long r_long(void) { return -1234567890123L; }
float r_float(void) { return 1.5f; }
double r_double(void) { return -2.0 / 3.0; }
long double r_ldouble(void) { return 1.1L; }
enum mood r_enum(void) { return SAD; }
const char *r_string(void) { return "returned"; }
struct two r_two(void) { struct two t = {3, -4}; return t; }
struct mixed r_mixed(void) { struct mixed m = {0.25, 9}; return m; }
struct floats r_floats(void) { struct floats f = {1, 2, 3}; return f; }
struct big r_big(void) { struct big b = {{1, 2, 3, 4, 5}}; return b; }
void r_void(void) { }
int main(void) {
    r_char(); r_bool(); r_uchar(); r_short(); r_long(); r_float(); r_double(); r_ldouble();
    r_enum(); r_string(); r_two(); r_mixed(); r_floats(); r_big(); r_void();
    return 0;
}
