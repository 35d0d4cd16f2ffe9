//! The full ECS record of a world's record: what the world holds, and a
//! documented default for every other field (docs/ecs.md, "Defaults").

use std::collections::HashMap;

use super::fields::Fields;
use super::records::{
    Disk, DiskAttachment, DiskAttachments, DiskDataSource, DiskMountInstance, DiskMountInstances,
    DiskOperationLock, DiskOperationLocks, DiskPlacement, Image, ImageDetectionOptions,
    ImageDetectionOptionsItems, ImageDiskDeviceMapping, ImageDiskDeviceMappings, ImageFeatures,
    ImageSecureBootOptions, Instance, InstanceAdditionalInfo, InstanceClockOptions,
    InstanceCpuOptions, InstanceDedicatedHostAttribute, InstanceDedicatedInstanceAttribute,
    InstanceEcsCapacityReservationAttr, InstanceEipAddress, InstanceHibernationOptions,
    InstanceImageOptions, InstanceLockReason, InstanceMetadataOptions, InstanceNetworkInterface,
    InstanceNetworkInterfaceIpv4PrefixSets, InstanceNetworkInterfaceIpv6PrefixSets,
    InstanceNetworkInterfaceIpv6Sets, InstanceNetworkInterfacePrivateIpSet,
    InstanceNetworkInterfacePrivateIpSets, InstanceNetworkInterfaces, InstanceOperationLocks,
    InstancePrivateDnsNameOptions, InstanceSecurityGroupIds, InstanceSecurityOptions,
    InstanceVpcAttributes, IpAddresses, KeyPair, Snapshot, Tags,
};
use crate::in_memory::InMemoryWorld;
use crate::model::{self, DiskCategory, DiskSource, DiskType, LockSet, OsType};

/// The facts of a world that no record of it holds: where it is, when it
/// was made, what its instances are. Each default is ECS's documented one
/// or a realistic value, written in docs/ecs.md with its source.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Defaults {
    /// `RegionId` of every record (default `cn-hangzhou`, the SDK
    /// documentation's example region).
    pub region_id: String,
    /// `ZoneId` of every disk and instance (default `cn-hangzhou-i`).
    pub zone_id: String,
    /// `CreationTime` of disks, images and snapshots the world does not
    /// date, with seconds as `DescribeDisks` writes it (default
    /// `2024-01-01T00:00:00Z`); also a disk's `AttachedTime`.
    pub creation_time: String,
    /// `CreationTime` of instances, and `StartTime` of an instance that has
    /// started: minutes, as `DescribeInstances` writes them (default
    /// `2024-01-01T00:00Z`).
    pub instance_creation_time: String,
    /// `InstanceType` (default `ecs.g7.large`).
    pub instance_type: String,
    /// `InstanceTypeFamily` (default `ecs.g7`).
    pub instance_type_family: String,
    /// `Cpu`: vCPUs of the instance type (default 2).
    pub cpu: i64,
    /// `Memory` in MiB (default 8192: 8 GiB).
    pub memory: i64,
    /// `VpcAttributes.VpcId` (default `vpc-reinitdisk0000000000`).
    pub vpc_id: String,
    /// `VpcAttributes.VSwitchId` (default `vsw-reinitdisk0000000000`).
    pub vswitch_id: String,
    /// `SecurityGroupIds.SecurityGroupId`, one (default
    /// `sg-reinitdisk00000000000`).
    pub security_group_id: String,
    /// `ResourceGroupId` (default empty: the account's default group).
    pub resource_group_id: String,
}

impl Default for Defaults {
    fn default() -> Self {
        Self {
            region_id: "cn-hangzhou".to_owned(),
            zone_id: "cn-hangzhou-i".to_owned(),
            creation_time: "2024-01-01T00:00:00Z".to_owned(),
            instance_creation_time: "2024-01-01T00:00Z".to_owned(),
            instance_type: "ecs.g7.large".to_owned(),
            instance_type_family: "ecs.g7".to_owned(),
            cpu: 2,
            memory: 8192,
            vpc_id: "vpc-reinitdisk0000000000".to_owned(),
            vswitch_id: "vsw-reinitdisk0000000000".to_owned(),
            security_group_id: "sg-reinitdisk00000000000".to_owned(),
            resource_group_id: String::new(),
        }
    }
}

/// `Size` in GiB of a disk the world gives no size: ECS's smallest for its
/// category (CreateDisk's `Size` ranges; a system disk at least 20 GiB,
/// RunInstances' `SystemDisk.Size`). docs/ecs.md cites each and marks the
/// ones no page gives.
pub const fn disk_size(category: DiskCategory, disk_type: DiskType) -> i64 {
    let data = match category {
        DiskCategory::Cloud | DiskCategory::Ephemeral | DiskCategory::EphemeralSsd => 5,
        DiskCategory::CloudEfficiency | DiskCategory::CloudSsd | DiskCategory::CloudEssd => 20,
        DiskCategory::CloudAuto => 40,
        DiskCategory::CloudEssdEntry | DiskCategory::CloudRegionalDiskAuto => 10,
        DiskCategory::ElasticEphemeralDiskStandard | DiskCategory::ElasticEphemeralDiskPremium => {
            64
        }
        DiskCategory::LocalSsdPro => 1788,
        DiskCategory::LocalHddPro => 5500,
    };
    match disk_type {
        DiskType::System if data < 20 => 20,
        _ => data,
    }
}

/// `IOPS` of a disk of `size` GiB: the baseline formula of its category
/// (ESSD at PL1, the default level), 0 where docs/ecs.md gives none.
pub const fn disk_iops(category: DiskCategory, size: i64) -> i64 {
    let (base, per_gib, max): (i64, i64, i64) = match category {
        DiskCategory::CloudEssd | DiskCategory::CloudAuto => (1800, 50, 50_000),
        DiskCategory::CloudSsd => (1800, 30, 25_000),
        DiskCategory::CloudEfficiency => (1800, 8, 5000),
        DiskCategory::CloudEssdEntry => (1800, 8, 6000),
        _ => return 0,
    };
    // Saturating: a size a scenario gives may be any whole number.
    let iops = base.saturating_add(per_gib.saturating_mul(size));
    if iops < max { iops } else { max }
}

/// `Throughput` in MB/s of a disk of `size` GiB: its category's baseline
/// formula, 0 where docs/ecs.md gives none.
pub const fn disk_throughput(category: DiskCategory, size: i64) -> i64 {
    // base + size / divisor, at most max.
    let (base, divisor, max): (i64, i64, i64) = match category {
        DiskCategory::CloudEssd | DiskCategory::CloudAuto => (120, 2, 350),
        DiskCategory::CloudSsd => (120, 2, 300),
        DiskCategory::CloudEfficiency => (100, 7, 140),
        DiskCategory::CloudEssdEntry => (100, 7, 150),
        _ => return 0,
    };
    let throughput = base.saturating_add(size / divisor);
    if throughput < max { throughput } else { max }
}

/// `Portable`: whether the disk can be detached and attached elsewhere. A
/// data cloud disk can; a system disk or a local disk (`ephemeral`,
/// `ephemeral_ssd`, `local_ssd_pro`, `local_hdd_pro`) cannot.
pub const fn portable(disk: &model::Disk) -> bool {
    matches!(disk.disk_type(), DiskType::Data)
        && !matches!(
            disk.category,
            DiskCategory::Ephemeral
                | DiskCategory::EphemeralSsd
                | DiskCategory::LocalSsdPro
                | DiskCategory::LocalHddPro
        )
}

/// `DeleteWithInstance`: a system disk is released with its instance, a
/// data disk is not (the world does not say; docs/ecs.md).
pub const fn delete_with_instance(disk: &model::Disk) -> bool {
    matches!(disk.disk_type(), DiskType::System)
}

/// `SourceSnapshotId`: the snapshot the disk was created from, if any.
pub fn source_snapshot(disk: &model::Disk) -> Option<&str> {
    match &disk.source {
        DiskSource::Image { snapshot_id, .. } => snapshot_id.as_deref(),
        DiskSource::Snapshot { snapshot_id } => Some(snapshot_id),
        DiskSource::Empty => None,
    }
}

/// The device of the `n`th data disk of an instance (from 0):
/// `/dev/xvdb` to `/dev/xvdz`, then `/dev/xvdaa`, `/dev/xvdab`, ... as
/// Linux names them. The system disk is `/dev/xvda`.
pub fn device_name(n: usize) -> String {
    // Letters after "a": b is 0; a bijective base-26 numeral past z.
    let mut index = n.saturating_add(1);
    let mut letters = Vec::new();
    loop {
        letters.push(letter(index % 26));
        index /= 26;
        if index == 0 {
            break;
        }
        index -= 1;
    }
    letters.reverse();
    let mut name = String::from("/dev/xvd");
    name.extend(letters);
    name
}

fn letter(n: usize) -> char {
    // n < 26: always a letter.
    char::from(b'a'.saturating_add(u8::try_from(n).unwrap_or(0)))
}

/// The device of the disk `disk_id` among `disks`, the disks attached to
/// one instance in the world's order: `/dev/xvda` for a system disk, the
/// data disks [`device_name`] by their rank among its data disks. `None`
/// when `disk_id` is not among them. What [`Layout`] gives each disk, for
/// a store that keeps each instance's disks at hand.
pub fn device_among<'a>(
    disks: impl IntoIterator<Item = &'a model::Disk>,
    disk_id: &str,
) -> Option<String> {
    let mut data = 0usize;
    for disk in disks {
        let system = disk.disk_type() == DiskType::System;
        if disk.id == disk_id {
            return Some(if system {
                "/dev/xvda".to_owned()
            } else {
                device_name(data)
            });
        }
        if !system {
            data = data.saturating_add(1);
        }
    }
    None
}

/// Where each disk sits and what each instance runs, as a world's order
/// gives them: a disk's `Device` (the system disk `/dev/xvda`, the data
/// disks `/dev/xvdb`.. in the order the world lists them), an instance's
/// `ImageId` (its system disk's image) and its position (which numbers its
/// addresses). Owned, so it outlives a lock on the world.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Layout {
    devices: HashMap<String, String>,
    instances: HashMap<String, Placed>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Placed {
    position: usize,
    image_id: Option<String>,
}

impl Layout {
    /// The layout of every disk and instance of `world`.
    pub fn of(world: &InMemoryWorld) -> Self {
        Self::build(world, |_| true)
    }

    /// The layout of the instances `ids` and their disks only (one pass
    /// over the world, allocating for those alone): what a page of
    /// records needs.
    pub fn of_instances<'a>(world: &InMemoryWorld, ids: impl IntoIterator<Item = &'a str>) -> Self {
        let wanted: std::collections::HashSet<&str> = ids.into_iter().collect();
        Self::build(world, |id| wanted.contains(id))
    }

    fn build(world: &InMemoryWorld, wanted: impl Fn(&str) -> bool) -> Self {
        let mut layout = Self::default();
        for (position, instance) in world.instances().enumerate() {
            if wanted(&instance.id) {
                layout.instances.insert(
                    instance.id.clone(),
                    Placed {
                        position,
                        image_id: None,
                    },
                );
            }
        }
        let mut data_disks: HashMap<&str, usize> = HashMap::new();
        for disk in world.disks() {
            let Some(instance_id) = disk.instance_id.as_deref().filter(|i| wanted(i)) else {
                continue;
            };
            let device = match &disk.source {
                DiskSource::Image { image_id, .. } => {
                    if let Some(placed) = layout.instances.get_mut(instance_id) {
                        placed.image_id.get_or_insert_with(|| image_id.clone());
                    }
                    "/dev/xvda".to_owned()
                }
                DiskSource::Snapshot { .. } | DiskSource::Empty => {
                    let n = data_disks.entry(instance_id).or_insert(0);
                    let device = device_name(*n);
                    *n = n.saturating_add(1);
                    device
                }
            };
            layout.devices.insert(disk.id.clone(), device);
        }
        layout
    }

    /// The device of the disk `id`, if it is attached.
    pub fn device(&self, disk_id: &str) -> Option<&str> {
        self.devices.get(disk_id).map(String::as_str)
    }
}

/// Writes the full ECS record of a world's records: each fact the world
/// holds, and [`Defaults`] and [`Layout`] for the rest. Deterministic: the
/// same world and defaults give the same records.
#[derive(Clone, Debug)]
pub struct Describer<'d> {
    defaults: &'d Defaults,
    layout: Layout,
    fields: Option<&'d Fields>,
}

fn text(value: &str) -> Option<String> {
    Some(value.to_owned())
}

fn empty() -> Option<String> {
    Some(String::new())
}

/// `n` (from 0) as the host part of an address in 172.16.0.0/12, from
/// 172.16.0.1 on.
fn private_ip(n: usize) -> String {
    let host = n.wrapping_add(1) & 0x000f_ffff;
    format!(
        "172.{}.{}.{}",
        16 + ((host >> 16) & 0x0f),
        (host >> 8) & 0xff,
        host & 0xff
    )
}

/// The id without its `x-` prefix (`i-bp1abc` gives `bp1abc`).
fn id_suffix(id: &str) -> &str {
    id.split_once('-').map_or(id, |(_, rest)| rest)
}

impl<'d> Describer<'d> {
    /// A describer of `world`'s records (its whole [`Layout`]).
    pub fn new(world: &InMemoryWorld, defaults: &'d Defaults) -> Self {
        Self::with_layout(Layout::of(world), defaults)
    }

    /// A describer that places disks and instances by `layout`.
    pub const fn with_layout(layout: Layout, defaults: &'d Defaults) -> Self {
        Self {
            defaults,
            layout,
            fields: None,
        }
    }

    /// The same describer, writing each record's own ECS fields
    /// ([`Fields`]: a scenario's `"DiskName"`, a captured answer's `Size`)
    /// over its defaults; the facts stay the model's.
    #[must_use]
    pub const fn with_fields(mut self, fields: &'d Fields) -> Self {
        self.fields = Some(fields);
        self
    }

    /// The disk as `DescribeDisks` returns it, its device from the
    /// [`Layout`].
    pub fn disk(&self, disk: &model::Disk) -> Disk {
        self.disk_at(disk, self.layout.device(&disk.id).unwrap_or_default())
    }

    /// The disk as `DescribeDisks` returns it, attached at `device` (see
    /// [`device_among`]; ignored for a disk attached to nothing): for a
    /// store that places its disks itself, with no [`Layout`].
    pub fn disk_at(&self, disk: &model::Disk, device: &str) -> Disk {
        let d = self.defaults;
        let disk_type = disk.disk_type();
        let given = self.fields.and_then(|f| f.disk(&disk.id));
        // A size given is the size IOPS and throughput follow.
        let size = given
            .and_then(|g| g.size)
            .unwrap_or_else(|| disk_size(disk.category, disk_type));
        let instance_id = disk.instance_id.as_deref().unwrap_or_default();
        let device = if disk.instance_id.is_some() {
            device
        } else {
            ""
        };
        let attached = disk.instance_id.is_some();
        let attachment = || {
            Some(DiskAttachment {
                attached_time: text(&d.creation_time),
                device: text(device),
                instance_id: text(instance_id),
            })
        };
        let mount = || DiskMountInstance {
            attached_time: text(&d.creation_time),
            device: text(device),
            instance_id: text(instance_id),
        };
        let mount_instances: Vec<DiskMountInstance> =
            if attached && disk.multi_attach == model::MultiAttach::Enabled {
                vec![mount()]
            } else {
                Vec::new()
            };
        let image_id = match &disk.source {
            DiskSource::Image { image_id, .. } => image_id.as_str(),
            DiskSource::Snapshot { .. } | DiskSource::Empty => "",
        };
        let source_snapshot_id = source_snapshot(disk).unwrap_or_default();
        let mut record = Disk {
            attached_time: if attached {
                text(&d.creation_time)
            } else {
                empty()
            },
            attachments: Some(DiskAttachments {
                attachment: if attached {
                    attachment().into_iter().collect()
                } else {
                    Vec::new()
                },
            }),
            auto_snapshot_policy_id: empty(),
            bdf_id: empty(),
            bursting_enabled: Some(false),
            category: text(disk.category.into()),
            creation_time: text(&d.creation_time),
            data_source: Some(DiskDataSource {
                id: empty(),
                r#type: empty(),
            }),
            delete_auto_snapshot: Some(true),
            delete_with_instance: Some(delete_with_instance(disk)),
            description: empty(),
            detached_time: empty(),
            device: text(device),
            disk_charge_type: text("PostPaid"),
            disk_id: text(&disk.id),
            disk_name: empty(),
            enable_auto_snapshot: Some(false),
            enable_automated_snapshot_policy: Some(false),
            encrypted: Some(disk.kms_key_id.is_some()),
            expired_time: text("2999-09-08T16:00Z"),
            iops: Some(disk_iops(disk.category, size)),
            iops_read: Some(0),
            iops_write: Some(0),
            image_id: text(image_id),
            instance_id: text(instance_id),
            kms_key_id: text(disk.kms_key_id.as_deref().unwrap_or_default()),
            mount_instance_num: Some(i64::try_from(mount_instances.len()).unwrap_or(0)),
            mount_instances: Some(DiskMountInstances {
                mount_instance: mount_instances,
            }),
            multi_attach: text(disk.multi_attach.into()),
            operation_locks: Some(DiskOperationLocks {
                operation_lock: disk_locks(disk.operation_locks),
            }),
            performance_level: text(if disk.category == DiskCategory::CloudEssd {
                "PL1"
            } else {
                ""
            }),
            placement: Some(DiskPlacement { zone_ids: empty() }),
            portable: Some(portable(disk)),
            product_code: empty(),
            provisioned_iops: Some(0),
            region_id: text(&d.region_id),
            resource_group_id: text(&d.resource_group_id),
            serial_number: text(id_suffix(&disk.id)),
            size: Some(size),
            source_disk_id: empty(),
            source_snapshot_id: text(source_snapshot_id),
            status: text(disk.status.into()),
            storage_cluster_id: empty(),
            storage_set_id: empty(),
            storage_set_partition_number: Some(0),
            tags: Some(Tags::default()),
            throughput: Some(disk_throughput(disk.category, size)),
            throughput_read: Some(0),
            throughput_write: Some(0),
            r#type: text(disk_type.into()),
            zone_id: text(&d.zone_id),
        };
        if let Some(given) = given {
            record.overlay(given.clone());
        }
        record
    }

    /// The instance as `DescribeInstances` returns it, its image and
    /// addresses from the [`Layout`].
    pub fn instance(&self, instance: &model::Instance) -> Instance {
        let placed = self.layout.instances.get(&instance.id);
        self.instance_at(
            instance,
            placed
                .and_then(|p| p.image_id.as_deref())
                .unwrap_or_default(),
            placed.map_or(0, |p| p.position),
        )
    }

    /// The instance as `DescribeInstances` returns it, running `image_id`
    /// (its system disk's image, or empty) and numbered `position` (its
    /// place in the world's order, from 0, which numbers its addresses):
    /// for a store that places its instances itself, with no [`Layout`].
    pub fn instance_at(
        &self,
        instance: &model::Instance,
        image_id: &str,
        position: usize,
    ) -> Instance {
        let d = self.defaults;
        let ip = private_ip(position);
        let mac_n = position.wrapping_add(1);
        let mac = format!(
            "00:16:3e:{:02x}:{:02x}:{:02x}",
            (mac_n >> 16) & 0xff,
            (mac_n >> 8) & 0xff,
            mac_n & 0xff
        );
        let suffix = id_suffix(&instance.id);
        let (os_name, os_name_en) = match instance.os_type {
            OsType::Linux => (
                "Alibaba Cloud Linux  3.2104 LTS 64位",
                "Alibaba Cloud Linux  3.2104 LTS 64 bit",
            ),
            OsType::Windows => (
                "Windows Server  2022 数据中心版 64位中文版",
                "Windows Server  2022 Data Center Edition 64bit Chinese Edition",
            ),
        };
        let stopped_mode = instance.stopped_mode_shown();
        let mut record = Instance {
            additional_info: Some(InstanceAdditionalInfo {
                enable_high_density_mode: Some(false),
                managed_host_id: empty(),
                node_serial_number: empty(),
            }),
            auto_release_time: empty(),
            clock_options: Some(InstanceClockOptions {
                ptp_status: empty(),
            }),
            cluster_id: empty(),
            cpu: Some(d.cpu),
            cpu_options: Some(InstanceCpuOptions {
                core_count: Some(d.cpu / 2),
                enable_visst: Some(false),
                enable_vrdt: Some(false),
                nested_virtualization: empty(),
                numa: empty(),
                threads_per_core: Some(2),
                topology_type: empty(),
                turbo_mode: empty(),
            }),
            creation_time: text(&d.instance_creation_time),
            credit_specification: empty(),
            dedicated_host_attribute: Some(InstanceDedicatedHostAttribute {
                dedicated_host_cluster_id: empty(),
                dedicated_host_id: empty(),
                dedicated_host_name: empty(),
            }),
            dedicated_instance_attribute: Some(InstanceDedicatedInstanceAttribute {
                affinity: empty(),
                tenancy: empty(),
            }),
            deletion_protection: Some(false),
            deployment_set_group_no: Some(0),
            deployment_set_id: empty(),
            description: empty(),
            device_available: Some(true),
            ecs_capacity_reservation_attr: Some(InstanceEcsCapacityReservationAttr {
                capacity_reservation_id: empty(),
                capacity_reservation_preference: empty(),
            }),
            eip_address: Some(InstanceEipAddress {
                allocation_id: empty(),
                bandwidth: Some(0),
                internet_charge_type: empty(),
                ip_address: empty(),
                is_support_unassociate: Some(false),
            }),
            enable_nvs: Some(false),
            expired_time: text("2099-12-31T15:59Z"),
            gpu_amount: Some(0),
            gpu_spec: empty(),
            hibernation_options: Some(InstanceHibernationOptions {
                configured: Some(instance.hibernation_configured),
            }),
            host_name: Some(format!("iZ{suffix}Z")),
            hpc_cluster_id: empty(),
            isp: empty(),
            image_id: text(image_id),
            image_options: Some(InstanceImageOptions {
                current_os_nvme_supported: Some(false),
                login_as_non_root: Some(instance.login_as_non_root),
            }),
            inner_ip_address: Some(IpAddresses::default()),
            instance_charge_type: text("PostPaid"),
            instance_id: text(&instance.id),
            instance_name: text(&instance.id),
            instance_network_type: text("vpc"),
            instance_type: text(&d.instance_type),
            instance_type_family: text(&d.instance_type_family),
            internet_charge_type: text("PayByTraffic"),
            internet_max_bandwidth_in: Some(0),
            internet_max_bandwidth_out: Some(0),
            io_optimized: Some(instance.io_optimized),
            key_pair_name: empty(),
            local_storage_amount: Some(0),
            local_storage_capacity: Some(0),
            memory: Some(d.memory),
            metadata_options: Some(InstanceMetadataOptions {
                http_endpoint: text("enabled"),
                http_put_response_hop_limit: Some(1),
                http_tokens: text("optional"),
                instance_metadata_tags: text("disabled"),
            }),
            network_interfaces: Some(InstanceNetworkInterfaces {
                network_interface: vec![InstanceNetworkInterface {
                    ipv4_prefix_sets: Some(InstanceNetworkInterfaceIpv4PrefixSets::default()),
                    ipv6_prefix_sets: Some(InstanceNetworkInterfaceIpv6PrefixSets::default()),
                    ipv6_sets: Some(InstanceNetworkInterfaceIpv6Sets::default()),
                    mac_address: Some(mac),
                    network_interface_id: Some(format!("eni-{suffix}")),
                    primary_ip_address: text(&ip),
                    private_ip_sets: Some(InstanceNetworkInterfacePrivateIpSets {
                        private_ip_set: vec![InstanceNetworkInterfacePrivateIpSet {
                            primary: Some(true),
                            private_dns_name: empty(),
                            private_ip_address: text(&ip),
                        }],
                    }),
                    r#type: text("Primary"),
                }],
            }),
            os_name: text(os_name),
            os_name_en: text(os_name_en),
            os_type: text(instance.os_type.into()),
            operation_locks: Some(InstanceOperationLocks {
                lock_reason: instance_locks(instance.operation_locks),
            }),
            private_dns_name_options: Some(InstancePrivateDnsNameOptions {
                enable_instance_id_dns_aaaa_record: Some(false),
                enable_instance_id_dns_a_record: Some(false),
                enable_ip_dns_a_record: Some(false),
                enable_ip_dns_ptr_record: Some(false),
                hostname_type: empty(),
            }),
            public_ip_address: Some(IpAddresses::default()),
            rdma_ip_address: Some(IpAddresses::default()),
            recyclable: Some(false),
            region_id: text(&d.region_id),
            resource_group_id: text(&d.resource_group_id),
            sale_cycle: empty(),
            security_group_ids: Some(InstanceSecurityGroupIds {
                security_group_id: vec![d.security_group_id.clone()],
            }),
            security_options: Some(InstanceSecurityOptions {
                enable_secure_boot: Some(false),
            }),
            serial_number: Some(format!("00000000-0000-4000-8000-{mac_n:012x}")),
            spot_duration: Some(0),
            spot_interruption_behavior: text("Terminate"),
            spot_price_limit: Some(0.0),
            spot_strategy: text("NoSpot"),
            start_time: if instance.has_started {
                text(&d.instance_creation_time)
            } else {
                empty()
            },
            status: text(instance.status.into()),
            stopped_mode: text(stopped_mode),
            tags: Some(Tags::default()),
            vlan_id: empty(),
            vpc_attributes: Some(InstanceVpcAttributes {
                nat_ip_address: empty(),
                private_ip_address: Some(IpAddresses {
                    ip_address: vec![ip],
                }),
                vswitch_id: text(&d.vswitch_id),
                vpc_id: text(&d.vpc_id),
            }),
            zone_id: text(&d.zone_id),
        };
        if let Some(given) = self.fields.and_then(|f| f.instance(&instance.id)) {
            record.overlay(given.clone());
        }
        record
    }

    /// The image as `DescribeImages` returns it; `None` for a deleted one,
    /// which `DescribeImages` does not list.
    pub fn image(&self, image: &model::Image) -> Option<Image> {
        if image.deleted {
            return None;
        }
        let d = self.defaults;
        let owner: &str = image.image_owner_alias.into();
        let mut record = Image {
            architecture: text("x86_64"),
            boot_mode: text("UEFI-Preferred"),
            creation_time: text(&d.creation_time),
            description: empty(),
            detection_options: Some(ImageDetectionOptions {
                items: Some(ImageDetectionOptionsItems::default()),
                status: empty(),
            }),
            disk_device_mappings: Some(ImageDiskDeviceMappings {
                disk_device_mapping: vec![ImageDiskDeviceMapping {
                    device: text("/dev/xvda"),
                    encrypted: Some(false),
                    format: empty(),
                    import_oss_bucket: empty(),
                    import_oss_object: empty(),
                    progress: text("100%"),
                    remain_time: Some(0),
                    size: text("20"),
                    snapshot_id: empty(),
                    r#type: text("system"),
                }],
            }),
            features: Some(ImageFeatures {
                cpu_online_downgrade: empty(),
                cpu_online_upgrade: empty(),
                imds_support: text("v2"),
                memory_online_downgrade: empty(),
                memory_online_upgrade: empty(),
                nvme_support: text("supported"),
            }),
            image_family: empty(),
            image_id: text(&image.id),
            image_name: text(&image.id),
            image_owner_alias: text(owner),
            image_owner_id: Some(0),
            image_version: empty(),
            is_copied: Some(false),
            is_public: Some(image.image_owner_alias.is_public()),
            is_self_shared: empty(),
            is_subscribed: Some(false),
            is_support_cloudinit: Some(true),
            is_support_io_optimized: Some(true),
            license_type: empty(),
            login_as_non_root_supported: Some(image.login_as_non_root_supported),
            os_name: empty(),
            os_name_en: empty(),
            os_type: text("linux"),
            platform: empty(),
            product_code: empty(),
            progress: text("100%"),
            resource_group_id: text(&d.resource_group_id),
            secure_boot_options: Some(ImageSecureBootOptions {
                secure_boot_support: empty(),
            }),
            size: Some(20),
            status: text("Available"),
            supplier_name: empty(),
            tags: Some(Tags::default()),
            usable: Some(true),
            usage: text("instance"),
        };
        if let Some(given) = self.fields.and_then(|f| f.image(&image.id)) {
            record.overlay(given.clone());
        }
        Some(record)
    }

    /// The key pair as `DescribeKeyPairs` returns it: its name, the
    /// defaults' `CreationTime` and resource group, no tags, an empty
    /// `PublicKey` (the world holds none; ECS gives it only when asked with
    /// `IncludePublicKey`), and a fingerprint made from its name
    /// ([`key_pair_fingerprint`]).
    pub fn key_pair(&self, key_pair: &model::KeyPair) -> KeyPair {
        let d = self.defaults;
        let mut record = KeyPair {
            creation_time: text(&d.creation_time),
            key_pair_finger_print: Some(key_pair_fingerprint(&key_pair.name)),
            key_pair_name: text(&key_pair.name),
            public_key: empty(),
            resource_group_id: text(&d.resource_group_id),
            tags: Some(Tags::default()),
        };
        if let Some(given) = self.fields.and_then(|f| f.key_pair(&key_pair.name)) {
            record.overlay(given.clone());
        }
        record
    }

    /// The snapshot as `DescribeSnapshots` returns it; `None` for a
    /// deleted one, which `DescribeSnapshots` does not list.
    pub fn snapshot(&self, snapshot: &model::Snapshot) -> Option<Snapshot> {
        if snapshot.deleted {
            return None;
        }
        let mut record = self.snapshot_record(
            &snapshot.id,
            snapshot.creation_time.to_string(),
            snapshot.source_disk_id.as_deref(),
            snapshot.instant_access,
            true,
        );
        if let Some(given) = self.fields.and_then(|f| f.snapshot(&snapshot.id)) {
            record.overlay(given.clone());
        }
        Some(record)
    }

    /// For a disk of which a snapshot is being created
    /// (`creating_snapshot`), that snapshot as `DescribeSnapshots` lists
    /// it: `Status` `progressing`, `SourceDiskId` the disk, its id
    /// `s-progressing-` and the disk's id. ECS's `DescribeDisks` has no
    /// field for it; this record is how ECS tells it.
    pub fn creating_snapshot(&self, disk: &model::Disk) -> Option<Snapshot> {
        disk.creating_snapshot.then(|| {
            self.snapshot_record(
                &format!("s-progressing-{}", disk.id),
                self.defaults.creation_time.clone(),
                Some(&disk.id),
                false,
                false,
            )
        })
    }

    /// The snapshot `snapshot_id` of the disk `disk_id`, still being made
    /// (`CreateSnapshot`), as `DescribeSnapshots` lists it: `Status`
    /// `progressing`, `Progress` `0%`, `Available` false.
    pub fn snapshot_in_progress(&self, snapshot_id: &str, disk_id: &str) -> Snapshot {
        self.snapshot_record(
            snapshot_id,
            self.defaults.creation_time.clone(),
            Some(disk_id),
            false,
            false,
        )
    }

    fn snapshot_record(
        &self,
        id: &str,
        creation_time: String,
        source_disk_id: Option<&str>,
        instant_access: bool,
        done: bool,
    ) -> Snapshot {
        let d = self.defaults;
        Snapshot {
            available: Some(done),
            category: text("standard"),
            creation_time: Some(creation_time.clone()),
            description: empty(),
            encrypted: Some(false),
            full_snapshot_size_in_bytes: Some(0),
            instant_access: Some(instant_access),
            instant_access_retention_days: Some(0),
            kms_key_id: empty(),
            last_modified_time: Some(creation_time),
            product_code: empty(),
            progress: text(if done { "100%" } else { "0%" }),
            region_id: text(&d.region_id),
            remain_time: Some(0),
            resource_group_id: text(&d.resource_group_id),
            retention_days: Some(0),
            snapshot_id: text(id),
            snapshot_link_id: empty(),
            snapshot_name: empty(),
            snapshot_sn: empty(),
            snapshot_type: text("user"),
            source_disk_id: text(source_disk_id.unwrap_or_default()),
            source_disk_size: empty(),
            source_disk_type: empty(),
            source_region_id: empty(),
            source_snapshot_id: empty(),
            source_storage_type: text("disk"),
            status: text(if done { "accomplished" } else { "progressing" }),
            tags: Some(Tags::default()),
            usage: text("none"),
        }
    }
}

fn disk_locks(locks: LockSet) -> Vec<DiskOperationLock> {
    locks
        .iter()
        .map(|r| DiskOperationLock {
            lock_reason: text(r.into()),
        })
        .collect()
}

fn instance_locks(locks: LockSet) -> Vec<InstanceLockReason> {
    locks
        .iter()
        .map(|r| InstanceLockReason {
            lock_msg: empty(),
            lock_reason: text(r.into()),
        })
        .collect()
}

/// A key pair's `KeyPairFingerPrint` when the world gives none: 32
/// lower-case hex digits, as ECS's MD5 fingerprints are, made from the
/// name by 128-bit FNV-1a, so that the same name always has the same
/// fingerprint and two names (almost) never share one. It fingerprints no
/// key: the world holds no public key.
pub fn key_pair_fingerprint(name: &str) -> String {
    const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;
    let mut hash: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    for byte in name.bytes() {
        hash ^= u128::from(byte);
        hash = hash.wrapping_mul(PRIME);
    }
    format!("{hash:032x}")
}
