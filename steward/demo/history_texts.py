"""What requesters, approvers and owners write in the demo's ratings and requests (zh, en)."""

from __future__ import annotations

Pair = tuple[str, str]

PRAISE: tuple[Pair, ...] = (
    ("处理很及时，谢谢！", "Quick fix, thank you!"),
    ("工程师很耐心，讲解清楚。", "The engineer was patient and explained everything."),
    ("电话里就解决了，很方便。", "Solved on the phone, very convenient."),
    ("门店很快恢复营业，感谢。", "The store was back in business quickly, thanks."),
    ("服务态度好。", "Friendly service."),
)
NEUTRAL: tuple[Pair, ...] = (
    ("解决了，但等得有点久。", "Solved, but it took a while."),
    ("问题解决了，希望下次能更快响应。", "Fixed; a faster first reply would help."),
    ("还可以。", "OK."),
)
POOR: tuple[Pair, ...] = (
    ("等了一整天才有人联系，影响门店收银。", "Nobody called back for a whole day; the tills "
     "were affected."),
    ("问题没有真正解决，过两天又出现了。", "Not really fixed, it came back two days later."),
    ("工单被直接关闭了，没有人跟我确认。", "The ticket was closed without anyone checking "
     "with me."),
    ("来回转了好几个组，没人负责。", "Passed between several teams, nobody took charge."),
)
COMPLAINT_NOTES: tuple[Pair, ...] = (
    ("已电话联系申请人了解情况。", "Called the requester to understand what happened."),
    ("查看了工单记录，响应确实超时。", "Checked the record: the first response was late."),
    ("与处理工程师复盘了处理过程。", "Went through the handling with the engineer."),
)
COMPLAINT_OUTCOMES: tuple[Pair, ...] = (
    ("已向申请人致歉，并调整了门店故障的电话回访流程。",
     "Apologised to the requester; store incidents now get a call-back."),
    ("问题根因已修复，并已告知申请人。", "The root cause is fixed and the requester was told."),
    ("已对工程师进行辅导，今后关闭前先与申请人确认。",
     "Coached the engineer: confirm with the requester before closing."),
    ("已优化分派规则，减少工单转派。", "Routing rules improved to avoid hand-offs."),
)
REJECTIONS: tuple[Pair, ...] = (
    ("本季度预算已用完，请下季度再申请。", "This quarter's budget is spent; please ask again "
     "next quarter."),
    ("现有设备可以满足需求。", "The current equipment meets the need."),
    ("请先补充业务理由。", "Please give a business reason first."),
    ("该岗位不需要此权限。", "This role does not need this access."),
)
CANCELLATIONS: tuple[Pair, ...] = (
    ("不需要了，谢谢。", "Not needed any more, thanks."),
    ("提交重复了。", "Submitted twice."),
    ("已通过其他方式解决。", "Sorted out another way."),
)
REQUESTER_ASKS: tuple[Pair, ...] = (
    ("请问大概什么时候能好？", "Any idea when this will be done?"),
    ("麻烦尽快处理，谢谢。", "Please handle this soon, thanks."),
)
DESK_REPLIES: tuple[Pair, ...] = (
    ("已在处理中，预计明天完成。", "We are on it; expect it done tomorrow."),
    ("已安排工程师，会尽快联系您。", "An engineer is assigned and will contact you soon."),
)
TASK_NOTES: tuple[Pair, ...] = (
    ("已完成。", "Done."),
    ("已完成并通知申请人。", "Done; requester informed."),
    ("已处理，资产台账已更新。", "Done; asset register updated."),
)
REASONS: tuple[Pair, ...] = (
    ("现有电脑已使用五年，运行缓慢。", "The current laptop is five years old and slow."),
    ("新入职员工使用。", "For a new starter."),
    ("门店客流增加，高峰期排队严重。", "More customers; long queues at peak times."),
    ("原设备损坏无法维修。", "The old device is broken beyond repair."),
)
PRINTERS: tuple[str, ...] = ("财务部 3F", "行政部前台", "HR 5F", "门店办公室", "仓库收货处")
NAMES: tuple[str, ...] = ("王磊", "李娜", "张伟", "刘洋", "陈静", "杨帆", "赵敏", "黄涛")


def say(pair: Pair, language: str) -> str:
    return pair[1] if language == "en" else pair[0]
