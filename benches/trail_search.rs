//! Searching delivered CloudTrail log files: records streamed out of a
//! `{"Records": [...]}` file and matched against a preset, from plain JSON
//! and from gzip, reported as records per second. (Whole-process figures
//! for a 1M-record file, with peak memory: scripts/bench-trail-search.)

use std::hint::black_box;
use std::io::{BufReader, Write};
use std::ops::ControlFlow;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use flate2::bufread::MultiGzDecoder;
use monitui::model::trail::log_file::read_records;
use monitui::model::trail::{Preset, TrailCriteria};
use serde_json::json;

const RECORDS: usize = 20_000;

/// A log file of `RECORDS` records: S3 data events, with an IAM change
/// and a denied call now and then.
fn log_file() -> Vec<u8> {
    let records: Vec<_> = (0..RECORDS)
        .map(|i| {
            let denied = i % 50 == 0;
            json!({
                "eventVersion": "1.09",
                "userIdentity": {
                    "type": "IAMUser",
                    "principalId": format!("AIDAEXAMPLE{}", i % 89),
                    "arn": format!("arn:aws:iam::111122223333:user/user{}", i % 89),
                    "accountId": "111122223333",
                    "accessKeyId": format!("AKIAEXAMPLE{:05}", i % 1000),
                    "userName": format!("user{}", i % 89)
                },
                "eventTime": jiff::Timestamp::from_second(1_764_000_000 + i as i64).unwrap().to_string(),
                "eventSource": if i % 25 == 1 { "iam.amazonaws.com" } else { "s3.amazonaws.com" },
                "eventName": if denied { "GetObject" } else if i % 25 == 1 { "AttachRolePolicy" } else { "GetObject" },
                "awsRegion": "eu-west-1",
                "sourceIPAddress": format!("198.51.100.{}", i % 250),
                "userAgent": "aws-sdk-java/2.25.0 Linux/6.1 OpenJDK_64-Bit_Server_VM/21",
                "errorCode": if denied { Some("AccessDenied") } else { None },
                "requestParameters": {"bucketName": format!("bucket-{}", i % 31), "key": format!("data/part-{i:08}.parquet")},
                "responseElements": null,
                "eventID": format!("00000000-0000-4000-8000-{i:012x}"),
                "readOnly": i % 25 != 1,
                "resources": [{"type": "AWS::S3::Object", "ARN": format!("arn:aws:s3:::bucket-{}/data/part-{i:08}.parquet", i % 31)}],
                "eventType": "AwsApiCall",
                "recipientAccountId": "111122223333",
                "eventCategory": "Data"
            })
        })
        .collect();
    serde_json::to_vec(&json!({ "Records": records })).unwrap()
}

fn count_matches(reader: impl std::io::Read, criteria: &TrailCriteria) -> usize {
    let mut found = 0;
    read_records(reader, |record| {
        found += usize::from(criteria.matches(&record));
        ControlFlow::Continue(())
    })
    .unwrap();
    found
}

fn search_log_files(c: &mut Criterion) {
    let plain = log_file();
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(&plain).unwrap();
    let gzipped = encoder.finish().unwrap();
    let denied = TrailCriteria {
        preset: Some(Preset::Denied),
        ..TrailCriteria::default()
    };
    assert_eq!(count_matches(plain.as_slice(), &denied), RECORDS / 50);

    let mut group = c.benchmark_group("trail_log_file");
    group.throughput(Throughput::Elements(RECORDS as u64));
    group.sample_size(10);
    group.bench_function("json_preset_denied", |b| {
        b.iter(|| black_box(count_matches(black_box(plain.as_slice()), &denied)))
    });
    group.bench_function("json_gz_preset_denied", |b| {
        b.iter(|| {
            let reader = BufReader::new(MultiGzDecoder::new(black_box(gzipped.as_slice())));
            black_box(count_matches(reader, &denied))
        })
    });
    group.finish();
}

criterion_group!(benches, search_log_files);
criterion_main!(benches);
