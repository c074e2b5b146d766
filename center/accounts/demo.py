"""Demo accounts, one per role (printed by `manage.py load_demo`). Never on production."""

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP

from center.core.models import Ward

from .models import User
from .roles import CENTER_STAFF, CITY_STAFF, COORDINATOR, ORG_MEMBER, WARD_STAFF
from .services import user_create

DEMO_PASSWORD = "kyodo-demo-2026"
DEMO_DOMAIN = "demo.kyodo-center.example.jp"

# (local part, name, roles, ward code, TOTP secret — fixed so an authenticator app set up
# once keeps working after `make run` again)
DEMO_ACCOUNTS = [
    ("admin", "管理者 デモ", [], None, "JBSWY3DPEHPK3PXPADMIN234"),
    ("staff", "センター 花子", [CENTER_STAFF], None, "JBSWY3DPEHPK3PXPSTAFF234"),
    ("coordinator", "協働 太郎", [COORDINATOR], None, "JBSWY3DPEHPK3PXPCOORD234"),
    ("city", "市民局 次郎", [CITY_STAFF], None, "JBSWY3DPEHPK3PXPCITYS234"),
    ("tsurumi", "鶴見 区センター", [WARD_STAFF], "tsurumi", "JBSWY3DPEHPK3PXPTSURU234"),
    ("naka", "中 区センター", [WARD_STAFF], "naka", "JBSWY3DPEHPK3PXPNAKAW234"),
    ("member", "団体 会員", [ORG_MEMBER], None, None),
    ("citizen", "市民 一般", [], None, None),
]


def demo_email(local_part: str) -> str:
    return f"{local_part}@{DEMO_DOMAIN}"


def load() -> list[dict]:
    logins = []
    for local_part, name, roles, ward_code, totp_secret in DEMO_ACCOUNTS:
        email = demo_email(local_part)
        user = User.objects.filter(email=email).first()
        if user is None:
            ward = Ward.objects.get(code=ward_code) if ward_code else None
            user = user_create(
                email=email,
                password=DEMO_PASSWORD,
                name=name,
                roles=roles,
                ward=ward,
                verified=True,
            )
            if local_part == "admin":
                user.is_superuser = True
                user.save(update_fields=["is_superuser"])
        if (
            totp_secret
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            TOTP.activate(user, totp_secret)
        logins.append(
            {
                "role": ", ".join(roles) or ("superuser" if local_part == "admin" else "citizen"),
                "email": email,
                "password": DEMO_PASSWORD,
                "totp_secret": totp_secret,
            }
        )
    return logins
