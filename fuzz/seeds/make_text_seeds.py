#!/usr/bin/env python3
"""Writes the hand-made text seeds of fuzz/corpus/{csv,xml,reports}/ (all invented, no dataset
text). The image seeds come from fuzz/seeds/image_seeds.rs. Run from the repository root:
python3 fuzz/seeds/make_text_seeds.py"""
import gzip
import io
import os
import zipfile

ROOT = "fuzz/corpus"
LABELS = ["No Finding", "Enlarged Cardiomediastinum", "Cardiomegaly", "Lung Opacity",
          "Lung Lesion", "Edema", "Consolidation", "Pneumonia", "Atelectasis", "Pneumothorax",
          "Pleural Effusion", "Pleural Other", "Fracture", "Support Devices"]
READERS = ["chexpert", "rsna", "image_queries", "text_queries", "candidates", "mimic",
           "chexpert_plus_pairs", "chexpert_plus", "covidx", "mura"]
PLAIN, GZ, ZIP = 0, 1, 2


def write(target, name, data):
    os.makedirs(f"{ROOT}/{target}", exist_ok=True)
    with open(f"{ROOT}/{target}/{name}", "wb") as f:
        f.write(data)


def csv_seed(name, reader, text, container=PLAIN):
    data = text.encode() if isinstance(text, str) else text
    if container == GZ:
        data = gzip.compress(data, mtime=0)
    elif container == ZIP:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            info = zipfile.ZipInfo("labels.csv", date_time=(2026, 1, 1, 0, 0, 0))
            z.writestr(info, data)
        data = buf.getvalue()
    selector = READERS.index(reader) | (container << 4)
    write("csv", name, bytes([selector]) + data)


labels_row = "1.0,,0.0,-1.0,,,,,,0,,,,1"
chexpert = ("Path,Sex,Age,Frontal/Lateral,AP/PA," + ",".join(LABELS) + "\n"
            "CheXpert-v1.0-small/train/patient00001/study1/view1_frontal.jpg,Female,68,Frontal,AP,"
            + labels_row + "\n"
            "CheXpert-v1.0-small/train/patient00002/study2/view2_lateral.jpg,Male,,Lateral,,"
            + ",".join([""] * 14) + "\n")
csv_seed("chexpert_ok", "chexpert", chexpert)
csv_seed("chexpert_ok_gz", "chexpert", chexpert, GZ)
csv_seed("chexpert_ok_zip", "chexpert", chexpert, ZIP)
csv_seed("chexpert_bad_rows", "chexpert",
         "Path,Sex,Age,Frontal/Lateral,AP/PA," + ",".join(LABELS) + "\n"
         "train/patientX/study1/view1_frontal.jpg,Female,68,Frontal,AP," + labels_row + "\n"
         "CheXpert-v1.0/train/patient00003/study1/view1_frontal.jpg,Male,4x,Frontal,PA,"
         + labels_row + "\n"
         "\"CheXpert-v1.0/train/patient00004/study1/view1_frontal.jpg,Male,40\n")
csv_seed("rsna_ok", "rsna",
         "patientId,x,y,width,height,Target\n"
         "a1,,,,,0\n"
         "b2,264.0,152.0,213.0,379.0,1\n"
         "b2,562.0,152.0,256.0,453.0,1\n")
csv_seed("rsna_conflict", "rsna",
         "patientId,x,y,width,height,Target\n"
         "c3,,,,,0\n"
         "c3,1,2,3,4,1\n"
         ",,,,,0\n")
csv_seed("image_queries_ok", "image_queries",
         "Variable,Path\nAtelectasis,q/1.jpg\nEdema,q/2.jpg\n")
csv_seed("text_queries_ok", "text_queries",
         "Variable,Text\nCardiomegaly,\"The heart is enlarged, mildly.\"\nEdema,Mild edema.\n")
csv_seed("text_queries_empty", "text_queries",
         "Variable,Text\nCardiomegaly,   \nPneumonia,No.\n")
csv_seed("candidates_ok", "candidates",
         "Path,Atelectasis,Cardiomegaly,Edema,Other\n"
         "c/1.jpg,1,0,,x\nc/2.jpg,0.0,1.0,-1.0,\n")
csv_seed("candidates_two_positive", "candidates",
         "Path,Atelectasis,Cardiomegaly,Edema\nc/1.jpg,1,1,0\nc/2.jpg,0,0,1\n")
mimic = ("dicom_id,study_id,subject_id,split\n"
         "d1,50000001,10000001,train\n"
         "d2,50000001,10000001,train\n"
         "d3,50000002,10000002,validate\n"
         "\0"
         "dicom_id,ViewPosition\nd1,PA\nd2,LATERAL\nd3,AP\n"
         "\0"
         "subject_id,study_id," + ",".join(LABELS) + "\n"
         "10000001,50000001," + labels_row + "\n")
csv_seed("mimic_ok", "mimic", mimic)
csv_seed("mimic_study_twice", "mimic",
         "dicom_id,study_id,subject_id,split\n"
         "d1,50000001,10000001,train\nd2,50000001,10000009,test\nd3,x,1,train\n"
         "\0dicom_id,ViewPosition\nd1,PA\n"
         "\0subject_id,study_id," + ",".join(LABELS) + "\n")
csv_seed("chexpert_plus_pairs_ok", "chexpert_plus_pairs",
         "path_to_image,section_findings,section_impression,section_history\n"
         "train/patient00001/study1/view1_frontal.jpg,Lungs are clear.,No acute process.,Cough\n"
         "train/patient00009/study1/view1_frontal.jpg,Unmatched.,Unmatched.,\n")
csv_seed("chexpert_plus_ok", "chexpert_plus",
         "path_to_image,report,section_findings,section_impression,section_clinical_history\n"
         "train/p1/s1/view1.jpg,,\"Heart size normal.\nLungs clear.\",No acute process.,Fever\n"
         ",\"FINDINGS: Small effusion.\n\nIMPRESSION: Effusion.\",,,\n")
csv_seed("chexpert_plus_unterminated", "chexpert_plus",
         "path_to_image,section_findings,section_impression\n"
         "\"train/p1/s1/view1.jpg,Clear.,Normal.\nx,y,z\n")
csv_seed("covidx_ok", "covidx",
         "1 a.png normal cohen\n2 b.png pneumonia rsna\n\n3 c.png COVID-19 sirm\n")
csv_seed("covidx_ok_gz", "covidx", "4 d.png normal rsna\n", GZ)
csv_seed("covidx_bad", "covidx", "1 a.png flu cohen\n2 b.png\n")
csv_seed("mura_ok", "mura",
         "MURA-v1.1/train/XR_WRIST/patient00001/study1_positive/,1\n"
         "MURA-v1.1/train/XR_HAND/patient00002/study1_negative/,0\n"
         "\0"
         "MURA-v1.1/train/XR_WRIST/patient00001/study1_positive/image1.png\n"
         "MURA-v1.1/train/XR_WRIST/patient00001/study1_positive/image2.png\n"
         "MURA-v1.1/train/XR_HAND/patient00002/study1_negative/image1.png\n")
csv_seed("mura_disagree", "mura",
         "MURA-v1.1/train/XR_WRIST/patient00001/study1_positive/,0\n"
         "\0MURA-v1.1/train/XR_WRIST/patient00001/study1_positive/image1.png\n")


def zip64(declared):
    """A stored zip of one tiny CSV whose zip64 extra fields declare `declared` bytes."""
    import struct
    import zlib
    data, name = b"Path,Sex\n", b"labels.csv"
    crc = zlib.crc32(data) & 0xFFFFFFFF
    extra_l = struct.pack("<HHQQ", 1, 16, declared, len(data))
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 45, 0, 0, 0, 0, crc, len(data), 0xFFFFFFFF,
                        len(name), len(extra_l)) + name + extra_l + data
    extra_c = struct.pack("<HHQ", 1, 8, declared)
    cd = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 45, 45, 0, 0, 0, 0, crc, len(data),
                     0xFFFFFFFF, len(name), len(extra_c), 0, 0, 0, 0, 0) + name + extra_c
    eocd = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(cd), len(local), 0)
    return bytes([READERS.index("chexpert") | (ZIP << 4)]) + local + cd + eocd


# Known crashes, kept out of the replayed corpus (see fuzz/README.md, "Known crashes").
os.makedirs("fuzz/crashes/csv", exist_ok=True)
with open("fuzz/crashes/csv/zip64_size_2e62_aborts", "wb") as f:
    f.write(zip64(1 << 62))
with open("fuzz/crashes/csv/zip64_size_u64max_panics", "wb") as f:
    f.write(zip64((1 << 64) - 1))

XML_FULL = """<?xml version="1.0" encoding="utf-8"?>
<eCitation>
  <meta type="rr"/>
  <uId id="CXR9001"/>
  <MedlineCitation Owner="Invented" Status="Test">
    <Article PubModel="Electronic">
      <Abstract>
        <AbstractText Label="COMPARISON">None.</AbstractText>
        <AbstractText Label="INDICATION">Cough &amp; fever.</AbstractText>
        <AbstractText Label="FINDINGS">The heart is normal in size. The lungs are clear &lt;no effusion&gt;.</AbstractText>
        <AbstractText Label="IMPRESSION">1. No acute disease.
2. Stable &#x41; &#66;.</AbstractText>
      </Abstract>
    </Article>
  </MedlineCitation>
  <MeSH>
    <major>Cardiomegaly/mild</major>
    <major>Opacity/lung/base/left</major>
    <minor>normal</minor>
  </MeSH>
  <parentImage id="CXR9001_IM-0001-1001"><url>/x/1.png</url></parentImage>
  <parentImage id="CXR9001_IM-0001-2001"/>
</eCitation>
"""
write("xml", "full_report.xml", XML_FULL.encode())
write("xml", "no_uid_empty_sections.xml",
      b"<eCitation><Abstract><AbstractText Label=\"FINDINGS\"/>"
      b"<AbstractText Label=\"IMPRESSION\"></AbstractText></Abstract><MeSH><major>normal</major></MeSH></eCitation>")
write("xml", "cdata_nested.xml",
      b"<eCitation><uId id='CXR2'/><Abstract><AbstractText Label='FINDINGS'>Left <b>base</b> "
      b"<![CDATA[opacity & XXXX]]>.</AbstractText><AbstractText Label='IMPRESSION'>Pneumonia.</AbstractText>"
      b"</Abstract><!-- comment --><?pi x?></eCitation>")
write("xml", "wrong_root.xml", b"<report><AbstractText Label=\"FINDINGS\">Clear.</AbstractText></report>")
write("xml", "unclosed.xml", b"<eCitation><Abstract><AbstractText Label=\"FINDINGS\">Clear.")
write("xml", "bad_entity.xml",
      b"<eCitation><Abstract><AbstractText Label=\"IMPRESSION\">A &bogus; &#xFFFFFF; b.</AbstractText></Abstract></eCitation>")
write("xml", "two_roots.xml", b"<eCitation/><eCitation/>")

write("reports", "mimic_sections.txt",
      b"                                 FINAL REPORT\n EXAMINATION:  CHEST (PA AND LAT)\n\n"
      b" INDICATION:  ___ with cough.\n\n FINDINGS: \n \n The lungs are clear.  No effusion.\n\n"
      b" IMPRESSION: \n \n No acute cardiopulmonary process.\n")
write("reports", "mimic_fallback.txt",
      b"Heart size is normal.\n\nMild bibasilar atelectasis.\n\n. ___\n")
write("reports", "iu_short.xml", XML_FULL.encode())
write("reports", "chexpert_plus.csv",
      b"path_to_image,report,section_findings,section_impression\n"
      b"train/p1/s1/v1.jpg,\"FINDINGS: Clear.\",,\nx,,Small effusion.,Effusion.\n")
write("reports", "list_items.txt", b"IMPRESSION:\n1. Clear lungs.\n2. No effusion.\n3.\n")
