"""Drives a Frontdesk server with boto3, the way a Python application would.

Usage: python3 boto3-smoke.py <endpoint-url> <region>
Credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY. Prints one JSON document: each
step's outcome as {"ok": ...} or {"error": {"code", "message", "status"}}, so the test that runs
this script can assert on every step even when one of them fails.
"""

import datetime
import json
import os
import sys
import traceback

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError


def main() -> None:
    endpoint, region = sys.argv[1], sys.argv[2]
    config = Config(retries={"max_attempts": 1, "mode": "standard"}, connect_timeout=10, read_timeout=30)

    def client(access_key=None, secret_key=None):
        return boto3.client(
            "cognito-idp",
            endpoint_url=endpoint,
            region_name=region,
            aws_access_key_id=access_key or os.environ["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=secret_key or os.environ["AWS_SECRET_ACCESS_KEY"],
            config=config,
        )

    idp = client()
    results = {}

    def step(name, fn):
        try:
            results[name] = {"ok": fn()}
        except ClientError as error:
            results[name] = {
                "error": {
                    "code": error.response["Error"]["Code"],
                    "message": error.response["Error"].get("Message", ""),
                    "status": error.response["ResponseMetadata"]["HTTPStatusCode"],
                    "requestId": error.response["ResponseMetadata"].get("RequestId"),
                }
            }
        return results[name].get("ok")

    def create_pools():
        ids = {}
        for name in ("boto-a", "boto-b", "boto-c"):
            pool = idp.create_user_pool(PoolName=name, MfaConfiguration="OFF")["UserPool"]
            ids[name] = pool["Id"]
        return ids

    pools = step("createPools", create_pools) or {}
    pool_id = pools.get("boto-a")

    def describe_pool():
        pool = idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]
        return {
            "Id": pool["Id"],
            "Name": pool["Name"],
            "Arn": pool.get("Arn"),
            # botocore turns the wire's epoch seconds into timezone-aware datetimes.
            "CreationDateIsDatetime": isinstance(pool.get("CreationDate"), datetime.datetime),
            "CreationDate": pool["CreationDate"].isoformat() if "CreationDate" in pool else None,
            "MfaConfiguration": pool.get("MfaConfiguration"),
        }

    def list_with_paginator():
        paginator = idp.get_paginator("list_user_pools")
        pages = []
        for page in paginator.paginate(MaxResults=1):
            pages.append([p["Name"] for p in page["UserPools"]])
        return {"pages": pages}

    def create_client():
        created = idp.create_user_pool_client(UserPoolId=pool_id, ClientName="boto-client", GenerateSecret=True)
        client_ = created["UserPoolClient"]
        described = idp.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_["ClientId"])["UserPoolClient"]
        return {
            "ClientId": client_["ClientId"],
            "ClientSecret": client_.get("ClientSecret"),
            "DescribedClientId": described["ClientId"],
            "DescribedClientName": described["ClientName"],
            "DescribedClientSecret": described.get("ClientSecret"),
            "DescribedUserPoolId": described["UserPoolId"],
        }

    if pool_id:
        step("describePool", describe_pool)
        step("listPaginated", list_with_paginator)
        step("createAndDescribeClient", create_client)
    step("describeMissingPool", lambda: idp.describe_user_pool(UserPoolId=f"{region}_missing00"))
    step(
        "unknownAccessKey",
        lambda: client("AKIAUNKNOWNUNKNOWN01", "x" * 40).list_user_pools(MaxResults=10),
    )
    step(
        "wrongSecret",
        lambda: client(os.environ["AWS_ACCESS_KEY_ID"], "y" * 40).list_user_pools(MaxResults=10),
    )
    if pool_id:
        def delete_pool():
            idp.delete_user_pool(UserPoolId=pool_id)
            return True

        step("deletePool", delete_pool)
        step("describeDeletedPool", lambda: idp.describe_user_pool(UserPoolId=pool_id))

    json.dump({"boto3": boto3.__version__, "results": results}, sys.stdout, default=str)
    sys.stdout.write("\n")


if __name__ == "__main__":
    try:
        main()
    except Exception:  # noqa: BLE001 - anything unexpected fails the run loudly
        traceback.print_exc()
        sys.exit(1)
