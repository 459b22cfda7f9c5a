/* Strings gdb prints by its charset rules (UTF-8): valid sequences as characters, bytes
 * that are not as octal escapes, an unfinished sequence at the end apart; and wide
 * strings, null ones too. */
#include <uchar.h>
#include <wchar.h>

char lone_lead[] = "ab\370\213";
char unfinished[] = "ab\342\202";
char two_byte_lead[] = "ab\302";
char never_valid[] = "ab\377";
char continuation[] = "ab\213\213";
char inside[] = "a\342\202b";
char surrogate[] = "ab\355\240\200";
char after_escape[] = "x\n\370";
char after_repeats[] = "xaaaaaaaaaaaaaaa\370";
char after_invalid[] = "x\377\370";
char only_lead[] = "\370";
const char *pointed = "x\370\213";
const wchar_t *wide = L"h\u00e9llo\n";
wchar_t wide_array[4] = L"ab";
const char16_t *sixteen = u"xy";
const char32_t *thirty_two = U"z\u20ac";
const wchar_t *no_wide;
struct { const wchar_t *file; int dumps; } wide_member = {0, 1};

int main(void)
{
    return 0;
}
