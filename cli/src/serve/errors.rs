//! The errors the server answers with besides `ReInitDisk`'s own (whose
//! rows are in each revision's catalogue): the gateway's, the signature
//! checks', throttling, and those of the other actions. docs/serve.md
//! gives the source of each text.

use reinit_disk::wire::EncodeError;

/// An error answer: its code, HTTP status and message.
#[derive(Debug)]
pub enum ApiError {
    /// Any action the server does not answer.
    ActionNotFound,
    /// A required parameter is absent or empty.
    MissingParameter(&'static str),
    /// A parameter's value is not one the action takes.
    InvalidParameter(&'static str),
    /// `DescribeDisks`' `DiskIds` is not a JSON array of ids.
    InvalidDiskIds,
    /// `DescribeInstances`' `InstanceIds` is not a JSON array of ids.
    InvalidInstanceIds,
    /// `PageSize` or `PageNumber` out of range (the parameter).
    InvalidPage(&'static str),
    /// `StopInstance`/`StartInstance` on an instance the world lacks.
    InstanceNotFound,
    /// `StopInstance`/`StartInstance`/`RebootInstance` from a status it
    /// cannot start from.
    IncorrectInstanceStatus,
    /// `StartInstance` while a disk of the instance is `ReIniting`.
    DiskError,
    /// Stop, start or reboot an instance locked for security reasons.
    InstanceLockedForSecurity,
    /// A `DryRun` request that would be accepted.
    DryRunOperation,
    /// A `NextToken` the server did not issue.
    InvalidNextToken,
    /// A `MaxResults` that is not a number in range.
    InvalidMaxResults,
    /// `DescribeDisks`' `DiskIds` with more than 100 ids.
    TooManyDiskIds,
    /// `DescribeDisks`' `DiskType` that is no disk type.
    InvalidDiskType,
    /// `DescribeDisks`' `Category` that is no category.
    InvalidCategory,
    /// `DescribeDisks`' `Status` that is no disk status.
    InvalidDiskStatus,
    /// `DescribeInstances`' `Status` that is no instance status.
    InvalidInstanceStatus,
    /// A disk action on a disk the world lacks: the message of the
    /// action's page (`AttachDisk`: `The specified disk does not exist.`;
    /// `DetachDisk`, `CreateSnapshot`: `The specified DiskId does not
    /// exist.`).
    DiskNotFound(&'static str),
    /// A disk action on a disk whose instance is locked for security
    /// reasons: the message of the action's page.
    DiskInstanceLocked(&'static str),
    /// A disk action on a disk in a status it does not take: the message
    /// of the action's page.
    IncorrectDiskStatus(&'static str),
    /// A disk action on an instance in a status it does not take: the
    /// HTTP status of the action's page (`AttachDisk` and
    /// `CreateSnapshot` 400, `DetachDisk` 403).
    DiskInstanceStatus(u16),
    /// `DetachDisk` of a disk not attached to the instance named.
    DependencyViolation,
    /// `DetachDisk` of a system disk.
    DiskTypeViolation,
    /// `CreateSnapshot` while a snapshot of the disk is being made.
    CreatingSnapshot,
    /// `DeleteSnapshot` without `SnapshotId` (its page's own text).
    MissingSnapshotId,
    /// `DeleteSnapshot` of a snapshot the world lacks, or deleted.
    SnapshotNotFound,
    /// `DeleteSnapshot` of a snapshot a disk was created from, without
    /// `Force`.
    SnapshotCreatedDisk,
    /// `DeleteSnapshot` of a snapshot still being made.
    OperationConflict,
    /// `DescribeSnapshots`' `SnapshotIds` with more than 100 ids.
    TooManySnapshotIds,
    /// `DescribeSnapshots`' `SnapshotType` that is none of ECS's.
    InvalidSnapshotType,
    /// `DescribeImages`' `OSType` that is neither `linux` nor `windows`.
    InvalidOsType,
    /// Past `--rate-limit`.
    Throttling,
    /// A `Content-Length`, or a body as it arrives, over `--max-body-bytes`
    /// (the limit).
    BodyTooLarge(usize),
    /// A body that did not arrive within `--body-timeout-seconds`.
    BodyTimeout,
    /// A body cut before its end: the connection broke, or the client
    /// closed its side before the `Content-Length` it declared.
    BodyCut,
    /// A method other than `GET` or `POST`.
    UnsupportedHttpMethod,
    /// The bodies being read already hold `--max-body-memory`.
    ServiceUnavailable,
    /// A signature check failed.
    Signature(SignatureError),
    /// The body could not be written (an id XML cannot carry).
    Encode(EncodeError),
    /// The world refused a change it had just been read for (cannot
    /// happen with the store's `InMemoryWorld`; answered as ECS answers
    /// what it cannot do).
    Internal,
}

/// Why a signed request is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignatureError {
    /// An HMAC-SHA1 (version 1.0) signature that does not match: the
    /// string the server signed, which ECS puts in its message.
    DoesNotMatchV1(String),
    /// An ACS3-HMAC-SHA256 signature that does not match: the string the
    /// server signed.
    DoesNotMatchV3(String),
    /// An `Authorization` header that is not a whole ACS3 one.
    Incomplete,
    /// The `AccessKeyId` is not one the server was given.
    UnknownAccessKey,
    /// A parameter signing needs is absent (`Signature`, `AccessKeyId`,
    /// `SignatureNonce`).
    Missing(&'static str),
    /// No timestamp.
    NoTimestamp,
    /// A `SignatureNonce` already used.
    NonceUsed,
    /// A timestamp more than 15 minutes from the server's clock.
    TimestampExpired,
    /// A timestamp that is not an ISO 8601 UTC time.
    TimestampMalformed,
    /// A signature method or version the server does not know (the
    /// parameter).
    UnsupportedMethod(&'static str),
    /// A nonce longer than the server remembers
    /// (`signature::MAX_NONCE_BYTES`).
    NonceTooLong,
    /// The nonce store is full of nonces that could still be replayed
    /// (`--nonce-store-bytes`): refused, as throttled, rather than forget
    /// one.
    NonceStoreFull,
}

impl ApiError {
    /// The error code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::ActionNotFound => "InvalidAction.NotFound",
            Self::MissingParameter(_) => "MissingParameter",
            Self::InvalidParameter(_) => "InvalidParameter",
            Self::InvalidDiskIds => "InvalidParameter.DiskIds",
            Self::InvalidInstanceIds => "InvalidInstanceIds.Malformed",
            Self::InvalidPage("PageNumber") => "InvalidParam.PageNumber",
            Self::InvalidPage(_) => "InvalidParam.PageSize",
            Self::InstanceNotFound => "InvalidInstanceId.NotFound",
            Self::IncorrectInstanceStatus => "IncorrectInstanceStatus",
            Self::DiskError => "DiskError",
            Self::InstanceLockedForSecurity => "InstanceLockedForSecurity",
            Self::DryRunOperation => "DryRunOperation",
            Self::InvalidNextToken => "InvalidParameter.NextToken",
            Self::InvalidMaxResults => "InvalidParameter.MaxResults",
            Self::TooManyDiskIds => "InvalidDiskIds.Malformed",
            Self::InvalidDiskType => "InvalidDiskType.ValueNotSupported",
            Self::InvalidCategory => "InvalidCategory.ValueNotSupported",
            Self::InvalidDiskStatus => "InvalidStatus.ValueNotSupported",
            Self::InvalidInstanceStatus => "InvalidStatus.NotFound",
            Self::DiskNotFound(_) => "InvalidDiskId.NotFound",
            Self::DiskInstanceLocked(_) => "InstanceLockedForSecurity",
            Self::IncorrectDiskStatus(_) => "IncorrectDiskStatus",
            Self::DiskInstanceStatus(_) => "IncorrectInstanceStatus",
            Self::DependencyViolation => "DependencyViolation",
            Self::DiskTypeViolation => "DiskTypeViolation",
            Self::CreatingSnapshot => "IncorrectDiskStatus.CreatingSnapshot",
            Self::MissingSnapshotId => "MissingParameter",
            Self::SnapshotNotFound => "InvalidSnapshotId.NotFound",
            Self::SnapshotCreatedDisk => "SnapshotCreatedDisk",
            Self::OperationConflict => "Operation.Conflict",
            Self::TooManySnapshotIds => "InvalidSnapshotIds.Malformed",
            Self::InvalidSnapshotType => "InvalidSnapshotType.NotFound",
            Self::InvalidOsType => "InvalidOSType",
            Self::Throttling => "Throttling",
            Self::BodyTooLarge(_) => "RequestTooLarge",
            Self::BodyTimeout => "RequestTimeout",
            Self::BodyCut => "IncompleteBody",
            Self::UnsupportedHttpMethod => "UnsupportedHTTPMethod",
            Self::ServiceUnavailable => "ServiceUnavailable",
            Self::Signature(e) => match e {
                SignatureError::DoesNotMatchV1(_) | SignatureError::DoesNotMatchV3(_) => {
                    "SignatureDoesNotMatch"
                }
                SignatureError::Incomplete => "IncompleteSignature",
                SignatureError::UnknownAccessKey => "InvalidAccessKeyId.NotFound",
                SignatureError::Missing(_) => "MissingParameter",
                SignatureError::NoTimestamp => "IllegalTimestamp",
                SignatureError::NonceUsed => "SignatureNonceUsed",
                SignatureError::TimestampExpired => "InvalidTimeStamp.Expired",
                SignatureError::TimestampMalformed => "InvalidTimeStamp.Format",
                SignatureError::UnsupportedMethod(_) => "InvalidParamater",
                SignatureError::NonceTooLong => "InvalidParameter",
                SignatureError::NonceStoreFull => "Throttling",
            },
            Self::Encode(_) | Self::Internal => "InternalError",
        }
    }

    /// The HTTP status.
    pub const fn status(&self) -> u16 {
        match self {
            Self::ActionNotFound
            | Self::InstanceNotFound
            | Self::InvalidInstanceStatus
            | Self::DiskNotFound(_)
            | Self::SnapshotNotFound
            | Self::InvalidSnapshotType
            | Self::InvalidOsType => 404,
            Self::DiskInstanceStatus(status) => *status,
            Self::DiskInstanceLocked(_)
            | Self::IncorrectDiskStatus(_)
            | Self::DependencyViolation
            | Self::DiskTypeViolation
            | Self::CreatingSnapshot
            | Self::SnapshotCreatedDisk
            | Self::OperationConflict
            | Self::TooManySnapshotIds => 403,
            Self::IncorrectInstanceStatus
            | Self::DiskError
            | Self::InstanceLockedForSecurity
            | Self::TooManyDiskIds
            | Self::UnsupportedHttpMethod => 403,
            Self::ServiceUnavailable => 503,
            Self::BodyTooLarge(_) => 413,
            Self::BodyTimeout => 408,
            Self::Encode(_) | Self::Internal => 500,
            _ => 400,
        }
    }

    /// The message, as ECS writes it (docs/serve.md gives each source).
    pub fn message(&self) -> String {
        match self {
            Self::ActionNotFound => {
                "Specified api is not found, please check your url and method.".to_owned()
            }
            Self::MissingParameter(name) => format!(
                "The input parameter \"{name}\" that is mandatory for processing this request is not supplied."
            ),
            Self::InvalidParameter(name) => {
                format!("The specified parameter \"{name}\" is not valid.")
            }
            Self::InvalidDiskIds => "The specified parameter diskIds is not valid.".to_owned(),
            Self::InvalidInstanceIds => "The specified instanceIds are not valid.".to_owned(),
            Self::InvalidPage(_) => "The specified parameter is invalid.".to_owned(),
            Self::InstanceNotFound => "The specified InstanceId does not exist.".to_owned(),
            Self::IncorrectInstanceStatus => {
                "The current status of the resource does not support this operation.".to_owned()
            }
            Self::DiskError => "IncorrectDiskStatus.".to_owned(),
            Self::InstanceLockedForSecurity => "The specified operation is denied as your instance is locked for security reasons.".to_owned(),
            Self::DryRunOperation => {
                "Request validation has been passed with DryRun flag set.".to_owned()
            }
            Self::InvalidNextToken => {
                "The specified parameter NextToken is not valid.".to_owned()
            }
            Self::InvalidMaxResults => {
                "The specified parameter MaxResults is not valid.".to_owned()
            }
            Self::TooManyDiskIds => {
                "The amount of specified disk Ids exceeds the limit.".to_owned()
            }
            Self::InvalidDiskType => "The specified disk type is not supported.".to_owned(),
            Self::InvalidCategory => "The specified disk category is not supported.".to_owned(),
            Self::InvalidDiskStatus => "The specified disk status is not supported.".to_owned(),
            Self::InvalidInstanceStatus => "The specified Status is not found".to_owned(),
            Self::DiskNotFound(message)
            | Self::DiskInstanceLocked(message)
            | Self::IncorrectDiskStatus(message) => (*message).to_owned(),
            Self::DiskInstanceStatus(_) => {
                "The current status of the resource does not support this operation.".to_owned()
            }
            Self::DependencyViolation => {
                "The specified disk has not been attached on the specified instance.".to_owned()
            }
            Self::DiskTypeViolation => {
                "The specified disk is a system disk and cannot support the operation.".to_owned()
            }
            Self::CreatingSnapshot => "A previous snapshot creation is in process.".to_owned(),
            Self::MissingSnapshotId => "The input parameter SnapshotId that is mandatory for processing this request is not supplied.".to_owned(),
            Self::SnapshotNotFound => "The specified snapshot is not found".to_owned(),
            Self::SnapshotCreatedDisk => "The snapshot has been used to create disk(s).".to_owned(),
            Self::OperationConflict => {
                "The operation may conflicts with others, please retry later.".to_owned()
            }
            Self::TooManySnapshotIds => {
                "The amount of specified snapshot Ids exceeds the limit.".to_owned()
            }
            Self::InvalidSnapshotType => "The specified SnapshotType is not found".to_owned(),
            Self::InvalidOsType => "The specified OSType is not valid".to_owned(),
            Self::Throttling => "You have made too many requests within a short time; your request is denied due to request throttling.".to_owned(),
            Self::BodyTooLarge(limit) => {
                format!("The request body is larger than the {limit} bytes the server accepts.")
            }
            Self::BodyTimeout => "The request body did not arrive in time.".to_owned(),
            Self::BodyCut => {
                "The request body ended before the length it declared.".to_owned()
            }
            Self::UnsupportedHttpMethod => "This http method is not supported.".to_owned(),
            Self::ServiceUnavailable => {
                "The request has failed due to a temporary failure of the server.".to_owned()
            }
            Self::Signature(e) => match e {
                SignatureError::DoesNotMatchV1(signed) => format!(
                    "Specified signature is not matched with our calculation. server string to sign is:{signed}"
                ),
                SignatureError::DoesNotMatchV3(signed) => format!(
                    "Specified signature does not match our calculation. server StringToSign is [{signed}]"
                ),
                SignatureError::Incomplete => {
                    "The request signature does not conform to Aliyun standards.".to_owned()
                }
                SignatureError::UnknownAccessKey => {
                    "The specified Access Key ID does not exist.".to_owned()
                }
                SignatureError::Missing(name) => format!(
                    "The input parameter \u{201c}{name}\u{201d} that is mandatory for processing the request is not supplied."
                ),
                SignatureError::NoTimestamp => "The input parameter \u{201c}Timestamp\u{201d} that is mandatory for processing this request is not supplied.".to_owned(),
                SignatureError::NonceUsed => "The request signature nonce has been used.".to_owned(),
                SignatureError::TimestampExpired => {
                    "Specified time stamp or date value is expired.".to_owned()
                }
                SignatureError::TimestampMalformed => {
                    "Specified time stamp or date value is not well formatted.".to_owned()
                }
                SignatureError::UnsupportedMethod(name) => {
                    format!("The specified parameter \u{201c}{name}\u{201d} is not valid.")
                }
                SignatureError::NonceTooLong => {
                    "The specified parameter \"SignatureNonce\" is not valid.".to_owned()
                }
                SignatureError::NonceStoreFull => "You have made too many requests within a short time; your request is denied due to request throttling.".to_owned(),
            },
            Self::Encode(_) | Self::Internal => "The request processing has failed due to some unknown error, exception or failure.".to_owned(),
        }
    }
}
