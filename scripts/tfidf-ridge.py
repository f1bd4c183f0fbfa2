# A reference point for the text encoders, outside modistill (README, "Text
# only, on the real CMU-MOSI transcripts"): ridge regression on TF-IDF
# features of the transcripts' words, word bigrams, negation-marked words
# and character 2-5-grams (the features of modistill's --text ngrams, seen
# at least twice in training), λ chosen on the dev split by MAE, predictions
# clipped to [-3, 3]. Needs numpy (Debian: python3-numpy):
#
#   /usr/bin/python3 scripts/tfidf-ridge.py ../shared/data/cmu-mosi
#
# It prints one line per feature variant: dev MAE, λ, test MAE, Corr, Acc-2.
import re, numpy as np, sys, collections
D=(sys.argv[1] if len(sys.argv) > 1 else '../shared/data/cmu-mosi').rstrip('/')+'/'
NEG={"not","no","never","nothing","nobody","none","nor","neither","cannot","without"}
def tok(s): return re.findall(r"(?:[^\W_]|')+", s.lower())  # modistill's rule: runs of letters, digits and apostrophes
def feats(t, char=True, neg=True):
    out=[]; n=0
    for i,w in enumerate(t):
        out.append('w:'+w)
        if i>0: out.append('b:'+t[i-1]+' '+w)
        if n>0 and neg: out.append('n:'+w); n-=1
        if w in NEG or w.endswith("n't"): n=3
        if char:
            r='<'+w+'>'
            for k in range(2,6):
                for s in range(len(r)-k+1): out.append('c:'+r[s:s+k])
    return out
def read(f):
    X=[];y=[]
    for i,l in enumerate(open(D+f)):
        if i==0: continue
        t,lab=l.rstrip('\n').rsplit('\t',1); X.append(tok(t)); y.append(float(lab))
    return X,np.array(y)
tr,ytr=read('train.tsv'); dv,ydv=read('dev.tsv'); te,yte=read('test.tsv')
def run(char, idf, norm, sub, mc=2):
    F=[ [feats(t,char) for t in s] for s in (tr,dv,te)]
    cnt=collections.Counter(f for d in F[0] for f in d)
    voc={f:i for i,f in enumerate(k for k,c in cnt.items() if c>=mc)}
    df=np.zeros(len(voc))
    for d in F[0]:
        for f in set(d):
            if f in voc: df[voc[f]]+=1
    w=np.log((1+len(F[0]))/(1+df))+1 if idf else np.ones(len(voc))
    def mat(S):
        M=np.zeros((len(S),len(voc)))
        for i,d in enumerate(S):
            for f in d:
                if f in voc: M[i,voc[f]]+=1
        if sub: M[M>0]=1+np.log(M[M>0])
        M*=w
        if norm=='l2': M/=np.maximum(np.linalg.norm(M,axis=1,keepdims=True),1e-9)
        if norm=='l1': M/=np.maximum(M.sum(1,keepdims=True),1e-9)
        return M
    A,B,C=mat(F[0]),mat(F[1]),mat(F[2])
    mu=ytr.mean(); am=A.mean(0)
    best=None
    K=(A-am)@(A-am).T
    for lam in [0.01,0.03,0.1,0.3,1,3,10,30,100]:
        alpha=np.linalg.solve(K+lam*np.eye(len(A)), ytr-mu)
        wt=(A-am).T@alpha
        pv=np.clip((B-am)@wt+mu,-3,3); mv=np.abs(pv-ydv).mean()
        if best is None or mv<best[0]: best=(mv,lam,wt)
    mv,lam,wt=best
    p=np.clip((C-am)@wt+mu,-3,3)
    mae=np.abs(p-yte).mean(); corr=np.corrcoef(p,yte)[0,1]; acc=((p>=0)==(yte>=0)).mean()*100
    print(f"char={char} idf={idf} norm={norm} sub={sub}: dev {mv:.3f} (λ={lam}) test MAE {mae:.3f} corr {corr:.3f} acc2 {acc:.1f}", flush=True)
for args in [(True,True,'l2',True),(True,True,'l2',False),(True,False,'l2',False),(True,True,'l1',False),(True,False,'l1',False),(False,True,'l2',True)]:
    run(*args)
