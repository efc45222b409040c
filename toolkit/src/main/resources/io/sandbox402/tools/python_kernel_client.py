import sys,os,time,json,zlib,base64,signal,subprocess as S
d,m,i,w,x,k=sys.argv[1:7];w=float(w);k=int(k);a=sys.argv[7:]
f=lambda *y:os.path.join(d,*y)
def up():
 try:
  p=int(open(f('pid')).read());os.kill(p,0)
  try:return p if open('/proc/%d/stat'%p).read().split(')')[-1].split()[0]!='Z' else 0
  except OSError:return p
 except Exception:return 0
o={}
if m=='run':
 for y in('in','out'):os.makedirs(f(y),exist_ok=True)
 if k:open(f('kernel.py'),'wb').write(zlib.decompress(base64.b64decode(''.join(a[:k]))))
 if not up():
  if not os.path.exists(f('kernel.py')):print(json.dumps({'missing':1}));sys.exit()
  o['restarted']=os.path.exists(f('ever'));open(f('ever'),'w').close()
  p=S.Popen([sys.executable,f('kernel.py'),d],stdin=S.DEVNULL,stdout=open(f('log'),'ab'),stderr=S.STDOUT,start_new_session=True)
  open(f('pid'),'w').write(str(p.pid));o['started']=1
 c=''.join(a[k:]);t=f('in',i+'.tmp')
 if c[:1]=='@':os.replace(c[1:],t)
 else:open(t,'wb').write(zlib.decompress(base64.b64decode(c)))
 os.replace(t,f('in',i+'.py'))
r=f('out',i+'.json')
def wait(s):
 e=time.time()+s;n=0
 while not os.path.exists(r) and time.time()<e:
  time.sleep(0.01);n+=1
  if n%20==0 and not up():return
wait(w)
if not os.path.exists(r) and up() and x!='0':
 o['interrupted']=1;os.kill(up(),signal.SIGINT);wait(float(x))
 if not os.path.exists(r) and up():
  try:os.killpg(up(),9)
  except Exception:os.kill(up(),9)
  o['killed']=1
if os.path.exists(r):o.update(json.load(open(r)));os.remove(r)
elif o.get('killed') or not up():
 if 'killed' not in o:o['died']=1
 for y in('stdout','stderr'):
  try:o[y]=open(f(i+'.'+y),errors='replace').read()[-100000:]
  except OSError:pass
else:o['pending']=1
print(json.dumps(o))
