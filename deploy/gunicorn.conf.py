"""gunicorn settings for production, behind nginx (deploy/nginx.conf).

    gunicorn -c deploy/gunicorn.conf.py

Sync workers: they measured best for this CPU-bound app (README, Performance), and nginx
in front holds slow clients, which a sync worker on its own could not shrug off.
"""

import multiprocessing
import os

wsgi_app = "skill.wsgi:app"
bind = os.environ.get("BONE_BUILDER_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("BONE_BUILDER_WORKERS", 2 * multiprocessing.cpu_count()))
worker_class = "sync"
# Every wait of the app's own is shorter (database 2 s, signing chain 3 s): a worker still
# busy after this is stuck, and is replaced.
timeout = 15
graceful_timeout = 10
limit_request_line = 4094
limit_request_fields = 50
limit_request_field_size = 8190
forwarded_allow_ips = "127.0.0.1"
accesslog = None
control_socket_disable = True
