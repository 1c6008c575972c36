//! f_u: a BERT encoder compatible with Hugging Face `BertModel` (parameter names included), with
//! max / mean / CLS pooling and freezing of the embeddings plus the first k layers.

mod attention;
mod config;
mod embeddings;
mod layer;
mod model;

pub use attention::{BertAttention, BertSelfAttention, BertSelfOutput};
pub use config::{BertConfig, Pooling};
pub use embeddings::BertEmbeddings;
pub use layer::{BertEncoder, BertIntermediate, BertLayer, BertOutput};
pub use model::Bert;
