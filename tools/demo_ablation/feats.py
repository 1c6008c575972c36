# Precompute: images (64px, grayscale, [0,1]) for pairs train/val and retrieval; sentences per report.
import csv, tarfile, re, numpy as np, torch, os
from PIL import Image
S=int(os.environ.get('S','64'))
root='/root/.cache/convirt/synthcxr'
def load(paths, base):
    out=np.zeros((len(paths),S,S),np.uint8)
    for i,p in enumerate(paths):
        out[i]=np.asarray(Image.open(os.path.join(base,p)).convert('L').resize((S,S),Image.BILINEAR))
    return out
rows=list(csv.DictReader(open(root+'/pairs/manifest.csv')))
fam=['Normal','Cardiomegaly','Effusion','Opacity','Atelectasis','Nodule','Pneumothorax']
tar=tarfile.open('/root/.cache/convirt/assets/iu/NLMCXR_reports.tgz')
import xml.etree.ElementTree as ET
rep={}
for m in tar.getmembers():
    if not m.name.endswith('.xml'): continue
    x=ET.fromstring(tar.extractfile(m).read())
    rid='CXR'+os.path.basename(m.name)[:-4]
    txt=[]
    for a in x.iter('AbstractText'):
        if a.get('Label') in ('FINDINGS','IMPRESSION') and a.text: txt.append(a.text)
    sents=[s.strip() for t in txt for s in re.split(r'(?<=\.)\s+',t) if len(s.strip())>2]
    rep[rid]=sents
d={}
for split in ('train','val'):
    r=[x for x in rows if x['split']==split]
    d[split+'_img']=load([x['path'] for x in r], root+'/pairs')
    d[split+'_lab']=np.array([[int(x[f]) for f in fam] for x in r])
    d[split+'_rid']=[x['report_id'] for x in r]
q=list(csv.DictReader(open(root+'/retrieval/query.csv')))
c=list(csv.DictReader(open(root+'/retrieval/candidate.csv')))
d['q_img']=load([x['Path'] for x in q], root+'/retrieval'); d['q_cat']=np.array([fam.index(x['Variable']) for x in q])
d['c_img']=load([x['Path'] for x in c], root+'/retrieval'); d['c_cat']=np.array([[float(x[f]) for f in fam].index(1.0) for x in c])
d['rep']=rep
torch.save(d,os.environ.get('PROTO','/tmp/proto')+f'/data{S}.pt')
print({k:(v.shape if hasattr(v,'shape') else len(v)) for k,v in d.items()})
print(sum(len(rep.get(r,[]))==0 for r in d['train_rid']))
