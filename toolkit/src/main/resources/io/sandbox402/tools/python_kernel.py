# sandbox402's Python kernel: keeps the state of a notebook (variables, imports, definitions) between
# execs. The client (PythonKernel.CLIENT) drops a cell as DIR/in/ID.py; the kernel runs it in its own
# globals, its output going to DIR/ID.stdout and DIR/ID.stderr, then writes the outcome as JSON to
# DIR/out/ID.json through a rename, so a client sees either no outcome or a complete one.
import ast, importlib, importlib.util, json, linecache, os, signal, site, sys, time, traceback, types

DIR = sys.argv[1]
IN, OUT = os.path.join(DIR, 'in'), os.path.join(DIR, 'out')
FIGURES = 'outputs'
MAX_CHARS = 100000
MAX_FILES = 5000
SKIP_DIRS = {'__pycache__', 'node_modules', 'site-packages', '.git'}
os.environ.setdefault('MPLBACKEND', 'Agg')
sys.path.insert(0, os.getcwd())
namespace = {'__name__': '__main__', '__builtins__': __builtins__}
main = types.ModuleType('__main__')
main.__dict__.update(namespace)
namespace = main.__dict__
sys.modules['__main__'] = main
count = 0
saved = []  # the figures saved for the current cell


def snapshot():
    files = {}
    for root, dirs, names in os.walk('.'):
        dirs[:] = [d for d in dirs if not d.startswith('.') and d not in SKIP_DIRS]
        for name in names:
            path = os.path.join(root, name)[2:]
            try:
                st = os.stat(path)
            except OSError:
                continue
            files[path] = (st.st_size, st.st_mtime_ns)
            if len(files) >= MAX_FILES:
                return files
    return files


def cut(text):
    if len(text) <= MAX_CHARS:
        return text
    half = MAX_CHARS // 2
    return text[:half] + '\n... [%d characters dropped] ...\n' % (len(text) - 2 * half) + text[-half:]


def save_figures():
    plt = sys.modules.get('matplotlib.pyplot')
    if plt is None:
        return
    try:
        numbers = plt.get_fignums()
        if numbers:
            os.makedirs(FIGURES, exist_ok=True)
        for number in numbers:
            path = os.path.join(FIGURES, 'cell-%d-figure-%d.png' % (count, len(saved) + 1))
            plt.figure(number).savefig(path, format='png')
            saved.append(path)
        plt.close('all')
    except Exception as e:
        print('[sandbox402: could not save a figure: %r]' % (e,), file=sys.stderr)


def patch_show(plt=None):
    plt = plt or sys.modules.get('matplotlib.pyplot')
    if plt is not None and not getattr(getattr(plt, 'show', None), '_sandbox402', False):
        def show(*args, **kwargs):
            save_figures()
        show._sandbox402 = True
        plt.show = show


class PyplotHook:
    """Patches plt.show as soon as a cell imports matplotlib.pyplot, so each show() saves its figures."""

    def find_spec(self, name, path=None, target=None):
        if name != 'matplotlib.pyplot':
            return None
        sys.meta_path.remove(self)
        try:
            spec = importlib.util.find_spec(name)
        finally:
            sys.meta_path.insert(0, self)
        if spec is None or spec.loader is None or not hasattr(spec.loader, 'exec_module'):
            return spec
        exec_module = spec.loader.exec_module

        def patched(module):
            exec_module(module)
            patch_show(module)
        spec.loader.exec_module = patched
        return spec


sys.meta_path.insert(0, PyplotHook())


def short_traceback(error, filename):
    frames = traceback.extract_tb(error.__traceback__)
    while frames and not frames[0].filename.startswith('<cell '):
        frames = frames[1:]  # the kernel's own frames
    frames = frames[-8:]
    lines = traceback.format_list(frames) if frames else []
    text = ''.join(lines) + ''.join(traceback.format_exception_only(type(error), error))
    if frames:
        text = 'Traceback (most recent call last):\n' + text
    return text.rstrip('\n')


def see_new_modules():
    # install_packages may have created the user site directory after the kernel started, and a cell may
    # import a module written since: make both importable, as in a fresh process.
    user_site = site.getusersitepackages()
    if os.path.isdir(user_site) and user_site not in sys.path:
        site.addsitedir(user_site)
    importlib.invalidate_caches()


def run(source):
    """Runs a cell; returns the repr of its last expression's value, or None."""
    see_new_modules()
    filename = '<cell %d>' % count
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    tree = ast.parse(source, filename, 'exec')
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr) and not source.rstrip().endswith(';'):
        last = ast.Expression(tree.body.pop().value)
    patch_show()
    exec(compile(tree, filename, 'exec'), namespace)
    if last is not None:
        patch_show()
        value = eval(compile(last, filename, 'eval'), namespace)
        if value is not None:
            namespace['_'] = value
            return cut(repr(value))
    return None


def handle(ident):
    global count
    count += 1
    request = os.path.join(IN, ident + '.py')
    with open(request, encoding='utf-8') as f:
        source = f.read()
    os.remove(request)
    before = snapshot()
    del saved[:]
    out_path, err_path = os.path.join(DIR, ident + '.stdout'), os.path.join(DIR, ident + '.stderr')
    saved_fds = os.dup(1), os.dup(2)
    out_fd = os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    err_fd = os.open(err_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(out_fd, 1)
    os.dup2(err_fd, 2)
    os.close(out_fd)
    os.close(err_fd)
    old_streams = sys.stdout, sys.stderr
    sys.stdout = open(1, 'w', encoding='utf-8', errors='backslashreplace', closefd=False, buffering=1)
    sys.stderr = open(2, 'w', encoding='utf-8', errors='backslashreplace', closefd=False, buffering=1)
    result = {'count': count}
    try:
        result['value'] = run(source)
    except BaseException as e:
        if isinstance(e, SystemExit) and e.code in (None, 0):
            pass
        else:
            result['error'] = {'type': type(e).__name__, 'message': cut(str(e)),
                               'traceback': cut(short_traceback(e, '<cell %d>' % count))}
    finally:
        try:
            save_figures()
            sys.stdout.flush()
            sys.stderr.flush()
        except BaseException:
            pass
        sys.stdout, sys.stderr = old_streams
        os.dup2(saved_fds[0], 1)
        os.dup2(saved_fds[1], 2)
        os.close(saved_fds[0])
        os.close(saved_fds[1])
    after = snapshot()
    files = []
    for path, (size, mtime) in sorted(after.items()):
        old = before.get(path)
        if old is None or old != (size, mtime):
            files.append({'path': path, 'size': size, 'created': old is None, 'figure': path in saved})
    result['files'] = files[:200]
    result['moreFiles'] = max(0, len(files) - 200)
    for key, path in (('stdout', out_path), ('stderr', err_path)):
        try:
            with open(path, encoding='utf-8', errors='replace') as f:
                result[key] = cut(f.read())
            os.remove(path)
        except OSError:
            result[key] = ''
    tmp = os.path.join(OUT, ident + '.tmp')
    with open(tmp, 'w', encoding='utf-8') as f:
        json.dump(result, f)
    os.replace(tmp, os.path.join(OUT, ident + '.json'))


def loop():
    os.makedirs(IN, exist_ok=True)
    os.makedirs(OUT, exist_ok=True)
    while True:
        try:
            names = sorted(n for n in os.listdir(IN) if n.endswith('.py'))
            for name in names:
                handle(name[:-3])
            if not names:
                time.sleep(0.01)
        except KeyboardInterrupt:
            pass  # an interrupt that arrived after its cell ended


if __name__ == '__main__':
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    loop()
