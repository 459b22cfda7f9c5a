/* Loads the library named by argv[1] with dlopen and calls plugin_work in it: breakpoints
 * on functions of libraries that appear only after the program started. */
#include <dlfcn.h>
#include <stdio.h>

int call_plugin(const char *path)
{
    void *handle = dlopen(path, RTLD_NOW);
    if (handle == NULL) {
        fprintf(stderr, "dlopen: %s\n", dlerror());
        return -1;
    }
    int (*work)(int) = (int (*)(int))dlsym(handle, "plugin_work");
    int result = work(21);
    dlclose(handle);
    return result;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        return 2;
    }
    printf("result %d\n", call_plugin(argv[1]));
    return 0;
}
