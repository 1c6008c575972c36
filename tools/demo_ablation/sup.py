import os,torch,torch.nn as nn,torch.nn.functional as F,random,time
exec(open(os.path.join(os.path.dirname(__file__),'full.py')).read().split("print('init")[0])
cls=nn.Linear(512,7); opt=torch.optim.Adam(list(net.parameters())+list(cls.parameters()),lr=LR,weight_decay=1e-6)
Y=torch.tensor(d['train_lab']).float()
def ev2():
    net.eval()
    with torch.no_grad():
        fq=torch.cat([net(prep(d['q_img'],False))]); fc=torch.cat([net(prep(d['c_img'][i:i+256],False)) for i in range(0,1400,256)])
        r=(p10(fq,fc,d['q_cat'],d['c_cat']), p10(torch.sigmoid(cls(fq)),torch.sigmoid(cls(fc)),d['q_cat'],d['c_cat']))
    net.train(); return r
t0=time.time()
for step in range(1,STEPS+1):
    b=random.sample(range(len(Y)),32)
    loss=F.binary_cross_entropy_with_logits(cls(net(prep(d['train_img'][b],True))),Y[b])
    opt.zero_grad(); loss.backward(); opt.step()
    if step%EV==0: print(step,'%.0fs'%(time.time()-t0),'loss %.3f'%loss.item(),'i2i pooled %.3f probs %.3f'%ev2(),flush=True)
