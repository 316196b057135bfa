#!/usr/bin/env python3
# Tracing's CPU cost per browse request, off vs on, interleaved (off/on x3): starts the one-process launcher the bench
# last copied (/tmp/storefront-bench/*-one-quick/launcher) on the bench's seeded bench_* databases (run
# `bench/run.sh --quick --only browse` once first), tracing on = OTLP/HTTP to a discarding receiver in this script;
# 600 warm-up then 3,000 measured browse requests (the bench's mix: lists, searches, product pages) on 4 keep-alive
# connections; the launcher's CPU time (/proc/<pid>/stat utime+stime) over the measured requests / their count.
# Not part of the tests; a few minutes. Written by hand: the bench's step search measures rates, not CPU per request.
import http.client, http.server, json, os, random, re, signal, statistics as st, subprocess, sys, threading, time, glob
JAVA=os.path.join(os.environ.get('JAVA_HOME', '/usr/lib/jvm/temurin-25-jdk-amd64'), 'bin', 'java')
snap=sorted(glob.glob('/tmp/storefront-bench/*-one-quick/launcher/storefront-launcher.jar'))[-1]
PORT=18480; SINK=18491
TICK=os.sysconf('SC_CLK_TCK')
class Sink(http.server.BaseHTTPRequestHandler):
    exports=0
    def do_POST(self):
        self.rfile.read(int(self.headers.get('Content-Length','0')))
        Sink.exports+=1
        self.send_response(200); self.send_header('Content-Type','application/x-protobuf'); self.send_header('Content-Length','0'); self.end_headers()
    def log_message(self,*a): pass
srv=http.server.ThreadingHTTPServer(('127.0.0.1',SINK),Sink); threading.Thread(target=srv.serve_forever,daemon=True).start()
def cpu(pid):
    f=open(f'/proc/{pid}/stat').read().rsplit(')',1)[1].split()
    return (int(f[11])+int(f[12]))/TICK
def start(tracing):
    props=['-Dstorefront.db.name-prefix=bench_','-Dstorefront.events.stream=BENCH','-Dstorefront.events.subject-prefix=bench','-Djava.io.tmpdir=/tmp/observability-cpu-tmp']
    if tracing: props.append(f'-Dstorefront.tracing.otlp-endpoint=http://127.0.0.1:{SINK}')
    os.makedirs('/tmp/observability-cpu-tmp',exist_ok=True)
    log=open('/tmp/observability-cpu-launcher.log','w')
    p=subprocess.Popen([JAVA,'-XX:+UseSerialGC','-Xss512k','-Xms64m','-Xmx256m','-XX:MetaspaceSize=128m',*props,'-jar',snap,'--no-demo','--port',str(PORT)],stdout=log,stderr=subprocess.STDOUT,env={**os.environ,'STOREFRONT_AOT_CACHE':'off'})
    t0=time.time()
    while time.time()-t0<240:
        if 'Storefront is ready in' in open('/tmp/observability-cpu-launcher.log').read(): return p
        if p.poll() is not None: raise SystemExit('launcher died: see /tmp/observability-cpu-launcher.log')
        time.sleep(1)
    raise SystemExit('not ready')
def get(c,path):
    c.request('GET',path); r=c.getresponse(); b=r.read(); return r.status,b
def urls(n,ids,words,cats):
    out=[]
    r=random.Random(42)
    for _ in range(n):
        k=r.randrange(10)
        if k<4:
            u=f'/api/products?limit=20&page={1+r.randrange(20)}'
            if r.random()<.5 and cats: u+='&category='+r.choice(cats)
            if r.random()<.5:
                m=5*r.randrange(40); u+=f'&minPrice={m}&maxPrice={m+25+5*r.randrange(60)}'
            out.append(u+'&sort='+r.choice(['newest','price_asc','price_desc']))
        elif k<7:
            out.append('/api/products?limit=20&q='+r.choice(words)+(f'&minPrice={5*r.randrange(40)}&page={1+r.randrange(3)}' if r.random()<.5 else ''))
        else:
            out.append('/api/products/'+r.choice(ids))
    return out
def drive(paths,threads=4):
    lat=[];errs=[0]
    chunks=[paths[i::threads] for i in range(threads)]
    def w(ch):
        c=http.client.HTTPConnection('127.0.0.1',PORT,timeout=30)
        for u in ch:
            t=time.perf_counter(); s,_=get(c,u); lat.append((time.perf_counter()-t)*1000)
            if s!=200: errs[0]+=1
    ts=[threading.Thread(target=w,args=(ch,)) for ch in chunks]; [t.start() for t in ts]; [t.join() for t in ts]
    return lat,errs[0]
results=[]
for i in range(3):
    for tracing in (False,True):
        la=open('/proc/loadavg').read().split()[:3]
        p=start(tracing)
        try:
            c=http.client.HTTPConnection('127.0.0.1',PORT,timeout=30)
            s,b=get(c,'/api/products?limit=100'); items=json.loads(b)['data']
            ids=[x['id'] for x in items]; words=sorted({w.lower() for x in items for w in re.findall(r'[A-Za-z]{4,}',x['name'])})[:50]
            s,b=get(c,'/api/categories'); cats=[x['slug'] for x in json.loads(b)['data']] if s==200 else []
            drive(urls(600,ids,words,cats))          # warm-up
            paths=urls(3000,ids,words,cats)
            exp0=Sink.exports; c0=cpu(p.pid); t0=time.time()
            lat,errs=drive(paths)
            wall=time.time()-t0; used=cpu(p.pid)-c0
            time.sleep(6)  # the batch exporter's 5 s schedule: count the exports of these spans
            row=dict(run=i+1,tracing='on' if tracing else 'off',load=' / '.join(la),cpu_ms_per_req=1000*used/len(paths),
                     req_per_s=len(paths)/wall,p50=st.median(lat),p99=sorted(lat)[int(.99*len(lat))],errors=errs,exports=Sink.exports-exp0)
            print(json.dumps(row),flush=True); results.append(row)
        finally:
            p.send_signal(signal.SIGTERM)
            try: p.wait(60)
            except subprocess.TimeoutExpired: p.kill(); p.wait()
for t in ('off','on'):
    rs=[r for r in results if r['tracing']==t]
    print(t,'cpu ms/req',[round(r['cpu_ms_per_req'],3) for r in rs],'median',round(st.median(r['cpu_ms_per_req'] for r in rs),3),
          'req/s',[round(r['req_per_s'],1) for r in rs],'p50',[round(r['p50'],1) for r in rs])
