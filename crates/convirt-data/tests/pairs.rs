//! IU X-ray and CheXpert Plus pairs: fixture trees in the exact layouts, tiny images, the joins'
//! examples and skip counts, and a batch through the loader.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use convirt_augment::Image;
use convirt_data::{
    DataError, PairExample, PairLoader, PairLoaderConfig, ReportText, SkipPolicy, read_chexpert,
    read_chexpert_plus_pairs, read_iu_pairs,
};
use convirt_text_sampler::{SentenceSampler, TextTokenizer, assets};

fn png(path: &Path) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    convirt_augment::save(&Image::noise(20, 16, 3).unwrap(), path).unwrap();
}

fn iu_xml(id: &str, findings: &str, impression: &str, images: &[&str]) -> String {
    let parents: String = images
        .iter()
        .map(|i| format!("  <parentImage id=\"{i}\"><figureId>F1</figureId><caption>PA</caption></parentImage>\n"))
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<eCitation>\n  <meta type=\"rr\"/>\n  <uId id=\"{id}\"/>\n\
         <MedlineCitation Owner=\"Indiana University\" Status=\"supplied\"><Article PubModel=\"Electronic\"><Abstract>\n\
         <AbstractText Label=\"COMPARISON\">None.</AbstractText>\n\
         <AbstractText Label=\"INDICATION\">Cough.</AbstractText>\n\
         <AbstractText Label=\"FINDINGS\">{findings}</AbstractText>\n\
         <AbstractText Label=\"IMPRESSION\">{impression}</AbstractText>\n\
         </Abstract></Article></MedlineCitation>\n<MeSH><major>normal</major></MeSH>\n{parents}</eCitation>\n"
    )
}

/// `ecgen-radiology/{1..4}.xml` and `images/*.png`: CXR1 both images, CXR2 one of two, CXR3 no
/// text, CXR4 no image on disk.
fn iu_fixture(dir: &Path) -> (PathBuf, PathBuf) {
    let reports = dir.join("ecgen-radiology");
    let images = dir.join("images");
    std::fs::create_dir_all(&reports).unwrap();
    let write =
        |n: u32, xml: String| std::fs::write(reports.join(format!("{n}.xml")), xml).unwrap();
    write(
        1,
        iu_xml(
            "CXR1",
            "The heart is normal in size. The lungs are clear.",
            "Normal chest x-XXXX.",
            &["CXR1_1_IM-0001-3001", "CXR1_1_IM-0001-4001"],
        ),
    );
    write(
        2,
        iu_xml(
            "CXR2",
            "Borderline cardiomegaly. No focal airspace disease.",
            "No acute disease.",
            &["CXR2_IM-0652-1001", "CXR2_IM-0652-2001"],
        ),
    );
    write(3, iu_xml("CXR3", "", "", &["CXR3_IM-1384-1001"]));
    write(
        4,
        iu_xml(
            "CXR4",
            "Stable mild cardiomegaly.",
            "No acute process.",
            &["CXR4_IM-2050-1001"],
        ),
    );
    for id in [
        "CXR1_1_IM-0001-3001",
        "CXR1_1_IM-0001-4001",
        "CXR2_IM-0652-1001",
        "CXR3_IM-1384-1001",
    ] {
        png(&images.join(format!("{id}.png")));
    }
    (reports, images)
}

fn tokenizer() -> Arc<TextTokenizer> {
    let path = assets::require(assets::MINILM_TOKENIZER).expect("run scripts/fetch-assets.sh");
    Arc::new(TextTokenizer::from_file(path).unwrap())
}

fn one_batch(examples: Vec<PairExample>) -> convirt_data::PairBatch {
    let n = examples.len();
    let loader = PairLoader::new(
        examples,
        Arc::new(convirt_augment::ConvirtAugment::paper_with_size(8)),
        Arc::new(SentenceSampler::new(1)),
        tokenizer(),
        PairLoaderConfig {
            batch_size: n,
            threads: 1,
            ..PairLoaderConfig::default()
        },
    )
    .unwrap();
    let mut batches: Vec<_> = loader.epoch(0, 0).map(Result::unwrap).collect();
    assert_eq!(batches.len(), 1);
    batches.remove(0)
}

#[test]
fn iu_reports_pair_with_their_pngs_and_skips_are_counted() {
    let dir = tempfile::tempdir().unwrap();
    let (reports, images) = iu_fixture(dir.path());
    let loaded = read_iu_pairs(&reports, &images, SkipPolicy::SkipAndCount).unwrap();
    let groups: Vec<&str> = loaded.records.iter().map(|e| e.group.as_str()).collect();
    assert_eq!(groups, ["CXR1", "CXR2"]);
    assert_eq!(
        loaded.records[0].images,
        [
            images.join("CXR1_1_IM-0001-3001.png"),
            images.join("CXR1_1_IM-0001-4001.png")
        ]
    );
    assert_eq!(
        loaded.records[1].images,
        [images.join("CXR2_IM-0652-1001.png")]
    );
    let ReportText::Parsed(report) = &loaded.records[1].report else {
        panic!("IU reports are parsed at load time")
    };
    assert_eq!(report.impression, "No acute disease.");
    // CXR2's second image, CXR3's empty text, CXR4's image and CXR4 itself.
    assert_eq!(loaded.skipped.count, 4);
    let errors = &loaded.skipped.first_errors;
    assert!(
        matches!(&errors[0], DataError::Missing { file, .. } if *file == images.join("CXR2_IM-0652-2001.png"))
    );
    assert!(
        matches!(&errors[1], DataError::EmptyReport { file } if file.to_string_lossy().ends_with(":CXR3"))
    );
    assert!(
        matches!(&errors[2], DataError::Missing { file, .. } if *file == images.join("CXR4_IM-2050-1001.png"))
    );

    let error = read_iu_pairs(&reports, &images, SkipPolicy::Fail).unwrap_err();
    assert!(
        error.to_string().contains("CXR2_IM-0652-2001.png"),
        "{error}"
    );

    let batch = one_batch(loaded.records);
    assert_eq!(batch.image_shape(), [2, 1, 8, 8]);
    assert!(batch.texts.iter().all(|t| !t.is_empty()));
}

const HEADER: &str = "Path,Sex,Age,Frontal/Lateral,AP/PA,No Finding,Enlarged Cardiomediastinum,Cardiomegaly,Lung Opacity,Lung Lesion,Edema,Consolidation,Pneumonia,Atelectasis,Pneumothorax,Pleural Effusion,Pleural Other,Fracture,Support Devices";
const LABELS: &str = ",,,1.0,,,,,,,,,,,";

#[test]
fn chexpert_plus_reports_join_images_by_path_grouped_by_study() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let image = |p: &str| format!("CheXpert-v1.0-small/train/{p}");
    let rows = [
        (image("patient00001/study1/view1_frontal.jpg"), "Frontal,AP"),
        (image("patient00002/study2/view1_frontal.jpg"), "Frontal,PA"),
        (image("patient00002/study2/view2_lateral.jpg"), "Lateral,"),
        (image("patient00003/study1/view1_frontal.jpg"), "Frontal,AP"),
        (image("patient00005/study1/view1_frontal.jpg"), "Frontal,AP"),
    ];
    let mut csv = format!("{HEADER}\n");
    for (path, view) in &rows {
        csv.push_str(&format!("{path},Female,60,{view}{LABELS}\n"));
        if !path.contains("patient00003") {
            // patient00003's image is missing on disk.
            let file = root.join(path);
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            image_jpg(&file);
        }
    }
    std::fs::write(root.join("train.csv"), csv).unwrap();
    let records = read_chexpert(root.join("train.csv"), SkipPolicy::Fail)
        .unwrap()
        .records;

    let plus = root.join("df_chexpert_plus_240401.csv");
    std::fs::write(
        &plus,
        "path_to_image,report,section_findings,section_impression,section_history\n\
         train/patient00001/study1/view1_frontal.jpg,,Clear lungs bilaterally. No effusion is seen.,No acute process.,Cough.\n\
         train/patient00002/study2/view1_frontal.jpg,,Small left pleural effusion is present.,Effusion.,\n\
         train/patient00002/study2/view2_lateral.jpg,,Small left pleural effusion is present.,Effusion.,\n\
         train/patient00003/study1/view1_frontal.jpg,,Low lung volumes are noted.,No change.,\n\
         train/patient00004/study1/view1_frontal.jpg,,Not in the records.,Unmatched.,\n\
         valid/patient64541/study1/view1_frontal.jpg,,Another split entirely.,Unmatched.,\n\
         train/patient00005/study1/view1_frontal.jpg,,,,History only.\n",
    )
    .unwrap();
    let pairs =
        read_chexpert_plus_pairs(&plus, &records, root, true, SkipPolicy::SkipAndCount).unwrap();
    let groups: Vec<&str> = pairs.examples.iter().map(|e| e.group.as_str()).collect();
    assert_eq!(groups, ["patient00001/study1", "patient00002/study2"]);
    assert_eq!(pairs.examples[0].images, [root.join(&rows[0].0)]);
    assert_eq!(
        pairs.examples[1].images,
        [root.join(&rows[1].0), root.join(&rows[2].0)]
    );
    assert_eq!(pairs.unmatched, 2);
    assert_eq!(pairs.skipped.count, 2);
    assert!(
        matches!(&pairs.skipped.first_errors[0], DataError::Missing { file, .. } if *file == root.join(&rows[3].0))
    );
    assert!(
        matches!(&pairs.skipped.first_errors[1], DataError::EmptyReport { file } if file.to_string_lossy().contains("patient00005"))
    );

    let error =
        read_chexpert_plus_pairs(&plus, &records, root, true, SkipPolicy::Fail).unwrap_err();
    assert!(error.to_string().contains("patient00003"), "{error}");
    // Without the file check, patient00003 joins too.
    let unchecked =
        read_chexpert_plus_pairs(&plus, &records, root, false, SkipPolicy::SkipAndCount).unwrap();
    assert_eq!(unchecked.examples.len(), 3);
    assert_eq!(unchecked.skipped.count, 1);

    let batch = one_batch(pairs.examples);
    assert_eq!(batch.rows(), 2);
}

fn image_jpg(path: &Path) {
    convirt_augment::save(&Image::noise(20, 16, 2).unwrap(), path).unwrap();
}

#[test]
fn two_views_are_independent_draws_and_the_first_is_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let (reports, images) = iu_fixture(dir.path());
    let examples = read_iu_pairs(&reports, &images, SkipPolicy::SkipAndCount)
        .unwrap()
        .records;
    let loader = |two_views: bool, threads: usize| {
        PairLoader::new(
            examples.clone(),
            Arc::new(convirt_augment::ConvirtAugment::paper_with_size(8)),
            Arc::new(SentenceSampler::new(1)),
            tokenizer(),
            PairLoaderConfig {
                batch_size: 2,
                threads,
                two_views,
                ..PairLoaderConfig::default()
            },
        )
        .unwrap()
        .epoch(3, 0)
        .map(Result::unwrap)
        .next()
        .unwrap()
    };
    let one = loader(false, 1);
    let two = loader(true, 1);
    assert!(one.second_images.is_none());
    let second = two.second_images.as_ref().expect("a second view");
    // The first view is the single-view loader's, bit for bit; the second has its shape but
    // other pixels (another crop, flip, affine, jitter and blur).
    assert_eq!(two.images, one.images);
    assert_eq!(second.len(), two.images.len());
    let differing = second
        .iter()
        .zip(&two.images)
        .filter(|(a, b)| (*a - *b).abs() > 1e-6)
        .count();
    assert!(
        differing > second.len() / 4,
        "{differing} of {}",
        second.len()
    );
    // Independent of the worker count, like everything else the loader draws.
    assert_eq!(loader(true, 3).second_images, two.second_images);
}
