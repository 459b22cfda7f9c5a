# A workload for the differential sweep: reaches much of CPython (dicts, sorting, strings,
# classes, generators, exceptions) and prints nothing.
d = {str(i): [i, i * 2.5] for i in range(50)}
s = sorted(d.items(), key=lambda kv: -kv[1][0])
t = "".join(k for k, _ in s)


class A:
    def f(self, x):
        return x + 1


def gen(n):
    yield from range(n)


try:
    {}["missing"]
except KeyError as missing:
    caught = missing
assert A().f(len(t)) > 0 and sum(gen(10)) == 45 and caught
