import torch, numpy as np, torchvision, random, os, time
import torch.nn as nn, torch.nn.functional as F
torch.set_num_threads(2); torch.manual_seed(0); random.seed(0)
S=int(os.environ.get('S','64'))
d=torch.load(os.environ.get('PROTO','/tmp/proto')+f'/data{S}.pt',weights_only=False); T=torch.load(os.environ.get('PROTO','/tmp/proto')+'/text.pt',weights_only=False)
LR=float(os.environ.get('LR','1e-4')); HLR=float(os.environ.get('HLR',LR)); STEPS=int(os.environ.get('STEPS','1500')); TL=os.environ.get('TL','max6'); TAU=float(os.environ.get('TAU','0.1')); EV=int(os.environ.get('EV','250'))
UNIT=os.environ.get('UNIT','sentence')
idx={s:i for i,s in enumerate(T['sents'])}
net=torchvision.models.resnet18(); net.conv1=nn.Conv2d(1,64,7,2,3,bias=False); net.fc=nn.Identity()
if os.environ.get('INIT')=='pt':
    for m in net.modules():
        if isinstance(m,nn.Conv2d): m.reset_parameters()
def head(i): return nn.Sequential(nn.Linear(i,512),nn.ReLU(),nn.Linear(512,512))
gv,gu=head(512),head(384)
opt=torch.optim.Adam([{'params':net.parameters(),'lr':LR},{'params':list(gv.parameters())+list(gu.parameters()),'lr':HLR}],weight_decay=1e-6)
TF=T[TL]; nq=T['nq']; Tq=TF[-nq:]
rids=d['train_rid']; ok=[i for i,r in enumerate(rids) if d['rep'].get(r)]
def prep(x, aug):
    b=torch.tensor(x).float().div(255).unsqueeze(1)
    if aug and os.environ.get('AUG')=='paper':
        import torchvision.transforms.v2 as T
        sig=max(0.1,3.0*S/224)
        V=os.environ.get('V','paper')
        if V=='paper': tf=T.Compose([T.RandomResizedCrop(S,scale=(0.6,1.0),antialias=True),T.RandomHorizontalFlip(),T.RandomAffine(20,(0.1,0.1),(0.95,1.05)),T.ColorJitter(brightness=(0.6,1.4),contrast=(0.6,1.4)),T.GaussianBlur(2*int(3*sig)+1,(0.1*S/224 if S<224 else 0.1,sig))])
        if V=='A': tf=T.Compose([T.RandomResizedCrop(S,scale=(0.6,1.0),antialias=True),T.RandomHorizontalFlip(),T.ColorJitter(brightness=(0.6,1.4),contrast=(0.6,1.4))])
        if V=='B': tf=T.Compose([T.RandomResizedCrop(S,scale=(0.8,1.0),ratio=(1,1),antialias=True),T.RandomHorizontalFlip(),T.RandomAffine(5,(0.05,0.05),(0.95,1.05)),T.ColorJitter(brightness=(0.6,1.4),contrast=(0.6,1.4)),T.GaussianBlur(2*int(3*sig)+1,(0.1*S/224 if S<224 else 0.1,sig))])
        b=torch.stack([tf(x) for x in b])
    elif aug:
        n=b.shape[0]; c=int(S*0.85)
        out=torch.empty(n,1,S,S)
        for k in range(n):
            i,j=random.randint(0,S-c),random.randint(0,S-c)
            p=b[k:k+1,:,i:i+c,j:j+c]
            if random.random()<0.5: p=p.flip(-1)
            p=F.interpolate(p,size=(S,S),mode='bilinear',align_corners=False)
            p=(p-0.5)*random.uniform(0.6,1.4)+0.5*random.uniform(0.6,1.4)
            out[k]=p[0]
        b=out
    return (b-0.5)/0.25
def embed(x):
    net.eval(); gv.eval()
    with torch.no_grad(): return torch.cat([gv(net(prep(x[i:i+256],False))) for i in range(0,len(x),256)])
def p10(qe,ce,qc,cc):
    s=F.normalize(qe,dim=1)@F.normalize(ce,dim=1).T; top=s.topk(10,dim=1).indices
    return (torch.tensor(cc)[top]==torch.tensor(qc)[:,None]).float().mean().item()
def ev():
    vq,vc=embed(d['q_img']),embed(d['c_img'])
    with torch.no_grad(): uq=gu(Tq)
    net.train(); gv.train()
    return p10(vq,vc,d['q_cat'],d['c_cat']), p10(uq,vc,T['q_cat'],d['c_cat'])
print('init i2i %.3f t2i %.3f'%ev(),flush=True)
t0=time.time()
for step in range(1,STEPS+1):
    b=random.sample(ok,32)
    ti=[idx[random.choice(d['rep'][rids[i]])] for i in b]
    x=prep(d['train_img'][b],True)
    v=F.normalize(gv(net(x)),dim=1); u=F.normalize(gu(TF[ti]),dim=1)
    lg=v@u.T/TAU; y=torch.arange(32)
    loss=0.75*F.cross_entropy(lg,y)+0.25*F.cross_entropy(lg.T,y)
    opt.zero_grad(); loss.backward(); opt.step()
    if step%EV==0: print(step,'%.0fs'%(time.time()-t0),'loss %.3f'%loss.item(),'i2i %.3f t2i %.3f'%ev(),flush=True)
