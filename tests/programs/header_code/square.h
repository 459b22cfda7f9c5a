/* A function whose code lives in a header: its line rows name a file other than the
 * compilation unit's primary one, which exercises DWARF 4 vs 5 file numbering. */
static int square(int x)
{
    int result = x * x;
    return result;
}
