import os
import torch, numpy as np
from transformers import BertModel, BertTokenizerFast
torch.set_num_threads(2)
d=torch.load(os.environ.get('PROTO','/tmp/proto')+'/data'+os.environ.get('S','64')+'.pt',weights_only=False)
import csv
qs=list(csv.DictReader(open('data/synthcxr/text_queries.csv')))
fam=['Normal','Cardiomegaly','Effusion','Opacity','Atelectasis','Nodule','Pneumothorax']
sents=sorted({s for r in set(d['train_rid'])|set(d['val_rid']) for s in d['rep'].get(r,[])})
allt=sents+[q['Text'] for q in qs]
tok=BertTokenizerFast.from_pretrained('/root/.cache/convirt/assets/minilm')
m=BertModel.from_pretrained('/root/.cache/convirt/assets/minilm').eval()
out={}
for layer in (3,6):
  F=[]
  with torch.no_grad():
    for i in range(0,len(allt),256):
        b=tok(allt[i:i+256],padding=True,truncation=True,max_length=64,return_tensors='pt')
        h=m(**b,output_hidden_states=True).hidden_states[layer]
        mask=b['attention_mask'].unsqueeze(-1).bool()
        F.append(h.masked_fill(~mask,-1e9).max(1).values)
  out[f'max{layer}']=torch.cat(F)
out['sents']=allt; out['nq']=len(qs); out['q_cat']=np.array([fam.index(q['Variable']) for q in qs])
torch.save(out,os.environ.get('PROTO','/tmp/proto')+'/text.pt'); print(len(sents), out['max6'].shape)
