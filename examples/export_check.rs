//! Writes towers exported under PyTorch names, with inputs and our outputs, for
//! `tools/check_export.py` to load into torchvision's ResNet and Hugging Face's `BertModel` with
//! `strict=True` and compare. Random-init weights (seeded) so that a naming or transposition error
//! cannot hide behind weights that came from PyTorch in the first place.
//!
//! ```text
//! cargo run --release --example export_check -- OUT_DIR --bert-config ~/.cache/convirt/assets/minilm/config.json
//! .venv-ref/bin/python tools/check_export.py OUT_DIR
//! ```

use std::path::{Path, PathBuf};

use burn::tensor::{Device, Distribution, Int, Tensor, TensorData};
use clap::Parser;
use convirt::encoders::weights::{export_bert, export_resnet};
use convirt::encoders::{BertConfig, ImageEncoder, Pooling, ResNetConfig, TextEncoder};
use safetensors::{Dtype, tensor::TensorView};

#[derive(Parser)]
struct Args {
    /// Output folder.
    out: PathBuf,
    /// A Hugging Face BERT config.json giving the text tower's shape.
    #[arg(long)]
    bert_config: PathBuf,
    /// Image architectures to export.
    #[arg(long, default_values_t = vec!["resnet18".to_string(), "resnet50".to_string()])]
    arch: Vec<String>,
}

fn f32_bytes(t: Tensor<2>) -> (Vec<u8>, Vec<usize>) {
    let shape = t.dims().to_vec();
    let v: Vec<f32> = t.into_data().convert::<f32>().try_into_vec().expect("f32");
    (v.iter().flat_map(|x| x.to_le_bytes()).collect(), shape)
}

fn write(path: &Path, tensors: Vec<(&str, Dtype, Vec<u8>, Vec<usize>)>) {
    let views: Vec<(String, TensorView)> = tensors
        .iter()
        .map(|(n, d, b, s)| {
            (
                n.to_string(),
                TensorView::new(*d, s.clone(), b).expect("view"),
            )
        })
        .collect();
    safetensors::serialize_to_file(views, None, path).expect("write safetensors");
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    std::fs::create_dir_all(&args.out)?;
    let device = Device::flex();
    device.seed(42);

    for arch in &args.arch {
        let net = ResNetConfig::by_name(arch)?.init(&device);
        export_resnet(&net, &args.out.join(format!("{arch}.safetensors")))?;
        let x = Tensor::<4>::random([2, 3, 64, 64], Distribution::Normal(0.0, 1.0), &device);
        let x_bytes: Vec<u8> = x
            .clone()
            .into_data()
            .convert::<f32>()
            .try_into_vec::<f32>()?
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect();
        let (feat, feat_shape) = f32_bytes(net.encode_images(x));
        write(
            &args.out.join(format!("{arch}_io.safetensors")),
            vec![
                ("x", Dtype::F32, x_bytes, vec![2, 3, 64, 64]),
                ("features", Dtype::F32, feat, feat_shape),
            ],
        );
        println!("wrote {arch}");
    }

    let config = BertConfig::from_file(&args.bert_config)?;
    let bert = config.init(&device).with_pooling(Pooling::Max);
    export_bert(&bert, &args.out.join("bert.safetensors"))?;
    std::fs::copy(&args.bert_config, args.out.join("config.json"))?;
    let ids: Vec<i64> = vec![
        101, 1996, 2540, 2003, 3671, 1012, 102, 0, 101, 2053, 102, 0, 0, 0,
    ];
    let mask: Vec<i64> = vec![1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0];
    let ids_t = Tensor::<2, Int>::from_data(TensorData::new(ids.clone(), [2, 7]), &device);
    let mask_t = Tensor::<2, Int>::from_data(TensorData::new(mask.clone(), [2, 7]), &device);
    let (pooled, shape) = f32_bytes(bert.encode_text(ids_t, mask_t));
    let i64_bytes = |v: &[i64]| v.iter().flat_map(|x| x.to_le_bytes()).collect::<Vec<u8>>();
    write(
        &args.out.join("bert_io.safetensors"),
        vec![
            ("input_ids", Dtype::I64, i64_bytes(&ids), vec![2, 7]),
            ("attention_mask", Dtype::I64, i64_bytes(&mask), vec![2, 7]),
            ("max_pooled", Dtype::F32, pooled, shape),
        ],
    );
    println!("wrote bert");
    Ok(())
}
